'use client';

import { type FormEvent, useId, useState } from 'react';
import styles from './token-prompt.module.css';

/** Asks for an API token when the server requires one (team mode); the token stays in this browser. */
export function TokenPrompt({
  hadToken,
  onSubmit,
}: {
  hadToken: boolean;
  onSubmit: (token: string) => void;
}) {
  const [value, setValue] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const token = value.trim();
    if (token) onSubmit(token);
  };
  return (
    <form className={styles.prompt} onSubmit={submit} aria-labelledby={`${id}-title`}>
      <div className={styles.text}>
        <strong id={`${id}-title`}>
          {hadToken ? 'The API refused this token' : 'This server requires an API token'}
        </strong>
        <span>
          Create one with <code>pnpm grokscope token create --name you --scope write</code> (read-only:{' '}
          <code>--scope read</code>). It is kept in this browser only.
        </span>
      </div>
      <label className="visually-hidden" htmlFor={`${id}-token`}>
        API token
      </label>
      <input
        id={`${id}-token`}
        className={styles.input}
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder="gks_…"
        value={value}
        onChange={(event) => setValue(event.target.value)}
      />
      <button className="button" data-variant="primary" type="submit" disabled={!value.trim()}>
        Use token
      </button>
    </form>
  );
}
