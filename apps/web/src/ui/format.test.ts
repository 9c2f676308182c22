import { describe, expect, it } from 'vitest';
import { formatDuration, formatInt, formatNumber, formatPercent, formatRelativeTime } from './format.ts';

describe('format', () => {
  it('formats numbers compactly', () => {
    expect(formatNumber(0.123456)).toBe('0.123');
    expect(formatNumber(4.2e-5)).toBe('4.20e-5');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('—');
  });
  it('formats percentages and integers', () => {
    expect(formatPercent(0.9534)).toBe('95.3%');
    expect(formatInt(1234567)).toBe('1\u202f234\u202f567');
  });
  it('formats durations', () => {
    expect(formatDuration(0.2)).toBe('<1s');
    expect(formatDuration(75)).toBe('1m 15s');
    expect(formatDuration(3_700)).toBe('1h 1m');
    expect(formatDuration(null)).toBe('—');
  });
  it('formats relative times', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(formatRelativeTime('2025-01-01T11:59:50Z', now)).toBe('just now');
    expect(formatRelativeTime('2025-01-01T11:50:00Z', now)).toBe('10 min ago');
    expect(formatRelativeTime('2025-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(formatRelativeTime('2024-12-01T09:00:00Z', now)).toBe('2024-12-01');
  });
});
