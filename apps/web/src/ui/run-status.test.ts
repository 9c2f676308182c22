import { describe, expect, it } from 'vitest';
import { effectiveStatus, isActive } from './run-status.ts';

describe('effectiveStatus', () => {
  it('prefers a terminal header status', () => {
    expect(effectiveStatus('STOPPED', 'RUNNING')).toBe('STOPPED');
  });
  it('takes a newer status from the live stream', () => {
    expect(effectiveStatus('QUEUED', 'RUNNING')).toBe('RUNNING');
    expect(effectiveStatus('RUNNING', 'COMPLETED')).toBe('COMPLETED');
  });
  it('falls back to the header without live data', () => {
    expect(effectiveStatus('QUEUED', null)).toBe('QUEUED');
    expect(effectiveStatus('RUNNING', 'QUEUED')).toBe('RUNNING');
  });
  it('knows active statuses', () => {
    expect(isActive('QUEUED')).toBe(true);
    expect(isActive('FAILED')).toBe(false);
  });
});
