'use client';

import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { userInputIssues } from '../../graphql/user-input-issues.ts';
import styles from './ablation-panel.module.css';
import { AblateQuery } from './ablation-query.ts';

interface Props {
  runId: string;
  /** The scrubbed step (the newest when following). */
  step: number;
  p: number;
  /** The run's key frequencies: the default selection. */
  keyFrequencies: readonly number[];
}

interface Request {
  step: number;
  mode: 'keep' | 'remove';
  frequencies: number[];
}

const ROWS = [
  ['train loss', 'trainLoss', 4],
  ['train accuracy', 'trainAccuracy', 3],
  ['test loss', 'testLoss', 4],
  ['test accuracy', 'testAccuracy', 3],
] as const;

/**
 * Fourier ablation at the scrubbed step (Query.ablate): choose frequencies, keep only them or remove them, and see
 * the ablated model's train/test loss and accuracy beside the unablated one's. Asked for on the button, never on
 * scrubbing: each answer costs the server a process.
 */
export function AblationPanel({ runId, step, p, keyFrequencies }: Props) {
  const K = (p - 1) / 2;
  const [chosen, setChosen] = useState<Set<number>>(() => new Set(keyFrequencies));
  const [touched, setTouched] = useState(false);
  const [mode, setMode] = useState<'keep' | 'remove'>('remove');
  const [request, setRequest] = useState<Request | null>(null);
  // Until the user picks, the selection follows the run's key frequencies as they settle (compared by value: the
  // caller passes a fresh array each render).
  const keysText = keyFrequencies.join(',');
  useEffect(() => {
    if (!touched) setChosen(new Set(keysText === '' ? [] : keysText.split(',').map(Number)));
  }, [keysText, touched]);
  const [result] = useQuery({
    query: AblateQuery,
    variables: {
      runId,
      step: request?.step ?? 0,
      ...(request?.mode === 'keep' ? { keep: request.frequencies } : { remove: request?.frequencies ?? [] }),
    },
    pause: request === null,
  });
  const toggle = (k: number) => {
    setTouched(true);
    setChosen((s) => {
      const next = new Set(s);
      if (next.has(k)) next.delete(k);
      else next.add(k);
      return next;
    });
  };
  const ablation = result.data?.ablate;
  const issue = userInputIssues(result.error)[0];
  return (
    <section className={styles.panel} data-testid="ablation-panel">
      <div className={styles.caption}>
        <span className={styles.title}>Fourier ablation of the embedding</span>
        <span className={styles.muted}>
          at step {step}
          {ablation ? ` (checkpoint ${ablation.checkpointStep})` : ''}
        </span>
      </div>
      <div className={styles.controls}>
        <label>
          <input type="radio" checked={mode === 'remove'} onChange={() => setMode('remove')} /> remove
        </label>
        <label>
          <input type="radio" checked={mode === 'keep'} onChange={() => setMode('keep')} /> keep only
        </label>
        <span className={styles.frequencies}>
          {Array.from({ length: K }, (_, i) => i + 1).map((k) => (
            <label key={k} title={keyFrequencies.includes(k) ? 'key frequency' : undefined}>
              <input type="checkbox" checked={chosen.has(k)} onChange={() => toggle(k)} />
              {keyFrequencies.includes(k) ? <b>{k}</b> : k}
            </label>
          ))}
        </span>
        <button
          type="button"
          data-testid="ablate"
          disabled={result.fetching}
          onClick={() => setRequest({ step, mode, frequencies: [...chosen].sort((a, b) => a - b) })}
        >
          {result.fetching ? 'Ablating…' : 'Ablate'}
        </button>
      </div>
      {result.error && (
        <div className={styles.error} role="alert">
          {issue ? `${issue.path}: ${issue.message}` : result.error.message}
        </div>
      )}
      {ablation && (
        <table className={styles.table} data-testid="ablation-result">
          <thead>
            <tr>
              <th />
              <th>unablated</th>
              <th>
                {ablation.mode === 'KEEP' ? 'keep only' : 'remove'} {ablation.frequencies.join(', ') || '∅'}
              </th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map(([label, key, digits]) => (
              <tr key={key}>
                <td>{label}</td>
                <td>{ablation.unablated[key].toFixed(digits)}</td>
                <td data-testid={`ablated-${key}`}>{ablation.ablated[key].toFixed(digits)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
