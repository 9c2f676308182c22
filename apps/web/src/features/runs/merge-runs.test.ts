import { describe, expect, it } from 'vitest';
import { appendPage, applyUpdate } from './merge-runs.ts';

const run = (id: string, minute: number, status = 'RUNNING') => ({
  id,
  status,
  createdAt: `2025-01-01T12:${String(minute).padStart(2, '0')}:00Z`,
});

describe('runs list merging', () => {
  it('appends pages without duplicating rows a live update added', () => {
    let state = appendPage({ rows: [], totalCount: 0 }, [run('c', 30), run('b', 20)], 3);
    state = applyUpdate(state, run('b', 20, 'COMPLETED'));
    state = appendPage(state, [run('b', 20, 'COMPLETED'), run('a', 10)], 3);
    expect(state.rows.map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(state.totalCount).toBe(3);
  });

  it('updates known runs in place', () => {
    const state = applyUpdate(
      appendPage({ rows: [], totalCount: 0 }, [run('a', 10)], 1),
      run('a', 10, 'FAILED'),
    );
    expect(state.rows).toEqual([run('a', 10, 'FAILED')]);
    expect(state.totalCount).toBe(1);
  });

  it('puts new runs on top and counts them', () => {
    const state = applyUpdate(
      appendPage({ rows: [], totalCount: 0 }, [run('a', 10)], 1),
      run('z', 50, 'QUEUED'),
    );
    expect(state.rows.map((r) => r.id)).toEqual(['z', 'a']);
    expect(state.totalCount).toBe(2);
  });

  it('leaves unknown older runs to paging', () => {
    const before = appendPage({ rows: [], totalCount: 0 }, [run('b', 20)], 5);
    expect(applyUpdate(before, run('old', 1))).toBe(before);
  });
});
