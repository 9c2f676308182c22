import { describe, expect, it } from 'vitest';
import { appendPage, applyUpdate, emptyRunsState } from './merge-runs.ts';

const run = (id: string, minute: number, status = 'RUNNING') => ({
  id,
  status,
  createdAt: `2025-01-01T12:${String(minute).padStart(2, '0')}:00Z`,
});
type Row = ReturnType<typeof run>;

describe('runs list merging', () => {
  it('appends pages without duplicating rows a live update added', () => {
    let state = appendPage(emptyRunsState<Row>(), [run('c', 30), run('b', 20)], 3);
    state = applyUpdate(state, run('b', 20, 'COMPLETED'));
    state = appendPage(state, [run('b', 20, 'COMPLETED'), run('a', 10)], 3);
    expect(state.rows.map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(state.totalCount).toBe(3);
  });

  it('keeps the server order of pages (a sort the browser does not know)', () => {
    const state = appendPage(
      appendPage(emptyRunsState<Row>(), [run('a', 10), run('c', 30)], 4),
      [run('b', 20)],
      4,
    );
    expect(state.rows.map((r) => r.id)).toEqual(['a', 'c', 'b']);
  });

  it('updates known runs in place', () => {
    const state = applyUpdate(appendPage(emptyRunsState<Row>(), [run('a', 10)], 1), run('a', 10, 'FAILED'));
    expect(state.rows).toEqual([run('a', 10, 'FAILED')]);
    expect(state.totalCount).toBe(1);
  });

  it('puts new runs on top and counts them in the default listing', () => {
    const state = applyUpdate(appendPage(emptyRunsState<Row>(), [run('a', 10)], 1), run('z', 50, 'QUEUED'));
    expect(state.rows.map((r) => r.id)).toEqual(['z', 'a']);
    expect(state.totalCount).toBe(2);
  });

  it('notes unknown runs once when a filter or sort decides their place, until a page brings them', () => {
    let state = appendPage(emptyRunsState<Row>(), [run('a', 10)], 1);
    state = applyUpdate(state, run('z', 50), false);
    state = applyUpdate(state, run('z', 50, 'COMPLETED'), false);
    expect(state.rows.map((r) => r.id)).toEqual(['a']);
    expect(state.outside).toEqual(['z']);
    expect(appendPage(state, [run('z', 50)], 2).outside).toEqual([]);
  });

  it('leaves unknown older runs to paging', () => {
    const before = appendPage(emptyRunsState<Row>(), [run('b', 20)], 5);
    expect(applyUpdate(before, run('old', 1))).toBe(before);
  });
});
