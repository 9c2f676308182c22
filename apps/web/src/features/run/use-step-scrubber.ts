'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { pinFromSlider, replayFrames, resolveStep } from './step-scrubber.ts';

/** A replay visits at most this many stored steps, one per FRAME_MS: about 8 s whatever the run's length. */
const REPLAY_FRAMES = 240;
const FRAME_MS = 33;

export interface StepScrubber {
  /** The step every chart marks; null before the first step arrives. */
  step: number | null;
  /** True while the scrubber follows the latest step (not pinned). */
  following: boolean;
  playing: boolean;
  first: number;
  last: number;
  /** A slider move: pins the step, or follows again at the end. Stops a replay. */
  scrubTo: (step: number) => void;
  followLatest: () => void;
  /** Plays from the current step (from the start when at the end) through the stored steps, or pauses. */
  toggleReplay: () => void;
}

/**
 * The run page's shared step. State is only the pinned step (null = follow the latest), so live rows arriving
 * move a following scrubber and leave a pinned one alone; nothing else resets it. `steps` are the stored steps
 * (ascending), read afresh on every call; `initialPinned` restores a step from a shared link.
 */
export function useStepScrubber(steps: readonly number[], initialPinned: number | null = null): StepScrubber {
  const [pinned, setPinned] = useState<number | null>(initialPinned);
  const [playing, setPlaying] = useState(false);
  const stepsRef = useRef(steps);
  stepsRef.current = steps;
  const first = steps[0] ?? 0;
  const last = steps.at(-1) ?? 0;
  const step = steps.length === 0 ? null : resolveStep(pinned, first, last);
  const stepRef = useRef(step);
  stepRef.current = step;

  const scrubTo = useCallback((value: number) => {
    setPlaying(false);
    setPinned(pinFromSlider(value, stepsRef.current.at(-1) ?? 0));
  }, []);
  const followLatest = useCallback(() => {
    setPlaying(false);
    setPinned(null);
  }, []);
  const toggleReplay = useCallback(() => setPlaying((on) => !on), []);

  useEffect(() => {
    if (!playing) return;
    const stored = stepsRef.current;
    const at = stepRef.current ?? 0;
    // From the current step, or from the start when the scrubber is at the end already.
    const from = at >= (stored.at(-1) ?? 0) ? (stored[0] ?? 0) : at;
    const frames = replayFrames(stored, from, REPLAY_FRAMES);
    let raf = 0;
    const start = performance.now();
    const tick = (now: number) => {
      const i = Math.floor((now - start) / FRAME_MS);
      if (i >= frames.length - 1) {
        // The end of the replay is the latest step: follow it, so a live run carries on from there.
        setPinned(null);
        setPlaying(false);
        return;
      }
      setPinned(frames[i] as number);
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing]);

  return { step, following: pinned === null, playing, first, last, scrubTo, followLatest, toggleReplay };
}
