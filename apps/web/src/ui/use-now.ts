'use client';

import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs`, for "5 min ago" labels that age while the page is open. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
