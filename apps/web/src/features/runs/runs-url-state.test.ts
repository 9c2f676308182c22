import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VIEW,
  formatRunsView,
  isDefaultListing,
  nextSort,
  parseRunsView,
  toRunsArgs,
} from './runs-url-state.ts';

describe('runs view in the URL', () => {
  it('round-trips every filter and the sort', () => {
    const params = new URLSearchParams(
      'status=RUNNING,FAILED&kind=MLP&tag=a,b&tag=seed%20sweep&name=p97*&where=model.alpha%3E0.5&where=p%3D97&archived=yes&sort=grokStep&dir=desc',
    );
    const view = parseRunsView(params);
    expect(view).toEqual({
      status: ['RUNNING', 'FAILED'],
      modelKind: ['MLP'],
      algorithm: [],
      grokked: null,
      tags: ['a,b', 'seed sweep'],
      namePattern: 'p97*',
      config: [
        { path: 'model.alpha', op: '>', value: '0.5' },
        { path: 'p', op: '=', value: '97' },
      ],
      archived: true,
      sort: 'grokStep',
      dir: 'DESC',
    });
    expect(parseRunsView(formatRunsView(view))).toEqual(view);
  });

  it('keeps the default view out of the URL and drops unknown values', () => {
    expect(formatRunsView(DEFAULT_VIEW).toString()).toBe('');
    expect(parseRunsView(new URLSearchParams('status=RUNNING,BOGUS&sort=nope&where=junk'))).toEqual({
      ...DEFAULT_VIEW,
      status: ['RUNNING'],
    });
  });

  it('maps to RunFilter and RunOrderBy', () => {
    const view = parseRunsView(
      new URLSearchParams('status=COMPLETED&tag=x&where=model.alpha%3C%3D0.25&sort=testAcc'),
    );
    expect(toRunsArgs(view)).toEqual({
      filter: { status: ['COMPLETED'], tags: ['x'], config: [{ path: 'model.alpha', lte: 0.25 }] },
      orderBy: { field: 'FINAL_SCALAR', direction: 'DESC', measure: 'test_acc' },
    });
    expect(toRunsArgs(DEFAULT_VIEW)).toEqual({
      filter: null,
      orderBy: { field: 'CREATED_AT', direction: 'DESC' },
    });
    expect(isDefaultListing(DEFAULT_VIEW)).toBe(true);
    expect(isDefaultListing(view)).toBe(false);
  });

  it('sends summary conditions and verdicts as summary predicates, not config ones', () => {
    const view = parseRunsView(
      new URLSearchParams(
        'verdict=CLOCK,NOPE&grokked=yes&where=final.test_acc%3E%3D0.99&where=grokStep%3E100&where=grokStep%3C5000',
      ),
    );
    expect(toRunsArgs(view).filter).toEqual({
      algorithm: ['CLOCK'],
      grokked: true,
      finalScalars: [{ measure: 'test_acc', gte: 0.99 }],
      grokStep: { gt: 100, lt: 5000 },
    });
    expect(parseRunsView(formatRunsView(view))).toEqual(view);
  });

  it("keeps only the registry's model kinds in the query", () => {
    const view = parseRunsView(new URLSearchParams('kind=MLP,GONE,not-a-kind'));
    expect(view.modelKind).toEqual(['MLP', 'GONE']);
    expect(toRunsArgs(view, new Set(['MLP', 'RFM'])).filter).toEqual({ modelKind: ['MLP'] });
    expect(toRunsArgs(view, new Set(['RFM'])).filter).toBeNull();
  });

  it('flips the direction on a second click and starts a new column in its natural direction', () => {
    expect(nextSort(DEFAULT_VIEW, 'name')).toEqual({ sort: 'name', dir: 'ASC' });
    expect(nextSort({ ...DEFAULT_VIEW, sort: 'name', dir: 'ASC' }, 'name')).toEqual({
      sort: 'name',
      dir: 'DESC',
    });
  });
});
