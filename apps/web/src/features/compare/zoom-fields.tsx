'use client';

import { useEffect, useId, useState } from 'react';
import styles from './compare-view.module.css';

/** The x range as two number fields (the keyboard's way to zoom) and a reset; drag on a chart sets the same. */
export function ZoomFields({
  zoom,
  domain,
  onZoom,
}: {
  zoom: [number, number] | null;
  domain: [number, number];
  onZoom: (zoom: [number, number] | null) => void;
}) {
  const id = useId();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  useEffect(() => {
    setFrom(zoom ? String(Math.round(zoom[0])) : '');
    setTo(zoom ? String(Math.round(zoom[1])) : '');
  }, [zoom]);
  const apply = () => {
    const a = from === '' ? domain[0] : Number(from);
    const b = to === '' ? domain[1] : Number(to);
    if (Number.isFinite(a) && Number.isFinite(b) && a < b) onZoom([a, b]);
  };
  return (
    <form
      className={styles.zoom}
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label htmlFor={`${id}-from`}>x from</label>
      <input
        id={`${id}-from`}
        inputMode="numeric"
        value={from}
        placeholder={String(Math.round(domain[0]))}
        onChange={(e) => setFrom(e.target.value)}
        data-testid="zoom-from"
      />
      <label htmlFor={`${id}-to`}>to</label>
      <input
        id={`${id}-to`}
        inputMode="numeric"
        value={to}
        placeholder={String(Math.round(domain[1]))}
        onChange={(e) => setTo(e.target.value)}
        data-testid="zoom-to"
      />
      <button type="submit" className={styles.toggle}>
        zoom
      </button>
      <button
        type="button"
        className={styles.toggle}
        disabled={zoom === null}
        onClick={() => onZoom(null)}
        data-testid="zoom-reset"
      >
        reset
      </button>
    </form>
  );
}
