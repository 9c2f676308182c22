'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';

/** Writes after the view has been still this long, so dragging a slider does not rewrite the URL per frame. */
const WRITE_DELAY_MS = 150;

/**
 * View state kept in the URL's query string: read once from the URL on load, then mirrored back with
 * `history.replaceState` (which Next's router observes), so the address bar is always a shareable link to the
 * current view without a history entry per change and without a server round-trip.
 */
export function useSearchState<T>(
  parse: (params: URLSearchParams) => T,
  serialize: (state: T) => string,
): [T, (update: (state: T) => T) => void] {
  const params = useSearchParams();
  const [state, setState] = useState<T>(() => parse(new URLSearchParams(params.toString())));
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const query = serialize(state);
      const url = `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`;
      if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`)
        window.history.replaceState(window.history.state, '', url);
    }, WRITE_DELAY_MS);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [state, serialize]);

  const update = useCallback((fn: (state: T) => T) => setState(fn), []);
  return [state, update];
}
