import { describe, expect, it } from 'vitest';
import { PathFilter } from '../src/path-filter.js';
import { pathOf } from '../src/request-target.js';

describe('PathFilter', () => {
  it('excludes a path and what is below it, not its siblings', () => {
    const filter = new PathFilter('test', ['/static/', '/favicon.ico']);
    expect(filter.excludes('/static')).toBe(true);
    expect(filter.excludes('/static/js/app.js')).toBe(true);
    expect(filter.excludes('/static?x=1')).toBe(true);
    expect(filter.excludes('/statics')).toBe(false);
    expect(filter.excludes('/favicon.ico')).toBe(true);
    expect(filter.excludes('/api/static')).toBe(false);
  });

  it('tests RegExps against the path without the query', () => {
    const filter = new PathFilter('test', [/\.map$/]);
    expect(filter.excludes('/app.js.map?v=2')).toBe(true);
    expect(filter.excludes('/app.js')).toBe(false);
  });

  it('excludes nothing when empty, and everything with "/"', () => {
    expect(new PathFilter('test', []).excludes('/x')).toBe(false);
    expect(new PathFilter('test', []).empty).toBe(true);
    expect(new PathFilter('test', ['/']).excludes('/anything/at/all')).toBe(true);
  });
});

describe('pathOf', () => {
  it('cuts the query and the fragment', () => {
    expect(pathOf('/a/b?c=1#d')).toBe('/a/b');
    expect(pathOf('/a#d?c')).toBe('/a');
    expect(pathOf('/a')).toBe('/a');
  });
});
