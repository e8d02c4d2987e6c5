import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeriesIndex } from '../src/series-index.js';
import { SMALL_NODE_MAX } from '../src/series-index-node.js';

/** Every series as `id:values`, in the order `forEach` visits them. */
function visited(index: SeriesIndex): string[] {
  const out: string[] = [];
  index.forEach((id, values) => {
    out.push(`${id}:${values.join('/')}`);
  });
  return out;
}

/** Every series as `id:text`, in the order `joined` yields them. */
function joined(index: SeriesIndex): string[] {
  return [...index.joined((level, value) => `${level}=${value}`)].map(([id, t]) => `${id}:${t}`);
}

/** The index as it was before tails and array nodes: one `Map` per prefix, pruned on delete. */
class MapTrie {
  readonly root = new Map<string, unknown>();
  constructor(readonly depth: number) {}

  insert(values: string[], id: number): void {
    let node = this.root;
    for (const value of values.slice(0, -1)) {
      let next = node.get(value) as Map<string, unknown> | undefined;
      if (next === undefined) node.set(value, (next = new Map()));
      node = next;
    }
    node.set(values[values.length - 1] as string, id);
  }

  delete(values: string[]): void {
    const path = [this.root];
    for (const value of values.slice(0, -1)) {
      path.push((path[path.length - 1] as Map<string, unknown>).get(value) as Map<string, unknown>);
    }
    for (let level = values.length - 1; level >= 0; level--) {
      const node = path[level] as Map<string, unknown>;
      node.delete(values[level] as string);
      if (node.size > 0) return;
    }
  }

  visited(): string[] {
    const out: string[] = [];
    const walk = (node: Map<string, unknown>, prefix: string[]) => {
      for (const [key, child] of node) {
        if (typeof child === 'number') out.push(`${child}:${[...prefix, key].join('/')}`);
        else walk(child as Map<string, unknown>, [...prefix, key]);
      }
    };
    walk(this.root, []);
    return out;
  }
}

describe('SeriesIndex', () => {
  it('finds a stored tuple by its values or by a labels object, and nothing else', () => {
    const index = new SeriesIndex(3);
    index.insert(['GET', '/a', '200'], 0);
    index.insert(['GET', '/a', '500'], 1);
    index.insert(['POST', '/b', '201'], 2);
    const names = ['method', 'route', 'status'];
    expect(index.find(['GET', '/a', '500'])).toBe(1);
    expect(index.findByLabels({ method: 'POST', route: '/b', status: 201 }, names)).toBe(2);
    expect(index.findByLabels({ method: 'POST', route: '/b', status: '201' }, names)).toBe(2);
    for (const miss of [
      ['GET', '/a', '404'],
      ['GET', '/b', '200'],
      ['POST', '/b', '200'],
      ['POST', '/c', '201'],
      ['PUT', '/a', '200'],
    ]) {
      expect(index.find(miss)).toBe(-1);
    }
    for (const status of [undefined, null, true, 201.5, Number.NaN, { toString: () => '201' }]) {
      expect(index.findByLabels({ method: 'POST', route: '/b', status }, names)).toBe(-1);
    }
    expect(index.size).toBe(3);
  });

  it('keeps the values of a prefix with one series, and tells apart tuples that share it', () => {
    const index = new SeriesIndex(4);
    index.insert(['a', 'b', 'c', 'd'], 7);
    expect(index.find(['a', 'b', 'c', 'd'])).toBe(7);
    for (const miss of [
      ['a', 'b', 'c', 'x'],
      ['a', 'b', 'x', 'd'],
      ['a', 'x', 'c', 'd'],
    ]) {
      expect(index.find(miss)).toBe(-1);
      expect(index.delete(miss)).toBe(-1);
    }
    // A second series sharing three values splits the first into nodes down to the fourth.
    index.insert(['a', 'b', 'c', 'e'], 8);
    index.insert(['a', 'x', 'c', 'd'], 9);
    expect(visited(index)).toEqual(['7:a/b/c/d', '8:a/b/c/e', '9:a/x/c/d']);
    expect(joined(index)).toEqual(['7:0=a,1=b,2=c,3=d', '8:0=a,1=b,2=c,3=e', '9:0=a,1=x,2=c,3=d']);
    // Deleting back to one series under a prefix keeps its values.
    expect(index.delete(['a', 'b', 'c', 'd'])).toBe(7);
    expect(index.delete(['a', 'x', 'c', 'd'])).toBe(9);
    expect(index.find(['a', 'b', 'c', 'e'])).toBe(8);
    expect(index.find(['a', 'b', 'c', 'd'])).toBe(-1);
    expect(visited(index)).toEqual(['8:a/b/c/e']);
    // …and splits again as before.
    index.insert(['a', 'b', 'y', 'e'], 10);
    expect(visited(index)).toEqual(['8:a/b/c/e', '10:a/b/y/e']);
    expect(index.size).toBe(2);
  });

  it(`turns a node of more than ${SMALL_NODE_MAX} entries into a Map and back, in order`, () => {
    const index = new SeriesIndex(2);
    const statuses = Array.from({ length: 20 }, (_, i) => String(200 + i));
    statuses.forEach((status, id) => {
      index.insert(['GET', status], id);
    });
    expect(visited(index)).toEqual(statuses.map((s, id) => `${id}:GET/${s}`));
    for (let id = 0; id < 18; id += 2) index.delete(['GET', statuses[id] as string]);
    const left = statuses
      .map((s, id) => `${id}:GET/${s}`)
      .filter((_, id) => id % 2 === 1 || id > 17);
    expect(visited(index)).toEqual(left);
    for (let id = 1; id < 17; id += 2) index.delete(['GET', statuses[id] as string]);
    expect(visited(index)).toEqual(['17:GET/217', '18:GET/218', '19:GET/219']);
    index.insert(['GET', '200'], 0);
    expect(visited(index)).toEqual(['17:GET/217', '18:GET/218', '19:GET/219', '0:GET/200']);
    for (const id of [0, 17, 18, 19]) expect(index.find(['GET', String(200 + id)])).toBe(id);
  });

  it('visits series in the order of a trie of Maps, after any inserts and deletes', () => {
    // Mostly two values, so that prefixes are shared (chains, splits, collapses), and up to 12,
    // so that nodes outgrow SMALL_NODE_MAX. A delete names a stored tuple half the time.
    const value = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('a', 'b') },
      { weight: 2, arbitrary: fc.constantFrom(...'abcdefghijkl'.split('')) },
    );
    const step = (depth: number) =>
      fc.record({
        remove: fc.boolean(),
        stored: fc.nat(),
        values: fc.array(value, { minLength: depth, maxLength: depth }),
      });
    const depthAndSteps = fc
      .integer({ min: 1, max: 4 })
      .chain((depth) => fc.tuple(fc.constant(depth), fc.array(step(depth), { maxLength: 300 })));
    fc.assert(
      fc.property(depthAndSteps, ([depth, steps]) => {
        const index = new SeriesIndex(depth);
        const reference = new MapTrie(depth);
        const ids = new Map<string, number>();
        let nextId = 0;
        for (const { remove, stored, values: drawn } of steps) {
          const keys = [...ids.keys()];
          const values =
            remove && stored % 2 === 0 && keys.length > 0
              ? (keys[stored % keys.length] as string).split('/')
              : drawn;
          const key = values.join('/');
          const id = ids.get(key);
          if (remove) {
            expect(index.delete(values)).toBe(id ?? -1);
            if (id === undefined) continue;
            reference.delete(values);
            ids.delete(key);
          } else if (id === undefined) {
            index.insert(values, nextId);
            reference.insert(values, nextId);
            ids.set(key, nextId++);
          }
        }
        expect(index.size).toBe(ids.size);
        for (const [key, id] of ids) expect(index.find(key.split('/'))).toBe(id);
        expect(visited(index)).toEqual(reference.visited());
        expect(joined(index).map((line) => line.replace(/\d=/g, '').replace(/,/g, '/'))).toEqual(
          reference.visited(),
        );
      }),
    );
  });

  it('skips a series deleted while joined() is paused, and goes on after an insert', () => {
    const index = new SeriesIndex(3);
    index.insert(['GET', '/a', '200'], 0);
    index.insert(['GET', '/b', '200'], 1);
    index.insert(['GET', '/c', '200'], 2);
    index.insert(['GET', '/d', '200'], 3);
    const series = index.joined((_, value) => value);
    expect(series.next().value).toEqual([0, 'GET,/a,200']);
    index.delete(['GET', '/b', '200']);
    index.insert(['GET', '/b', '500'], 1);
    index.insert(['GET', '/c', '500'], 4);
    index.delete(['GET', '/d', '200']);
    const rest = [...series];
    expect(rest).toContainEqual([2, 'GET,/c,200']);
    expect(rest.map(([id]) => id)).not.toContain(3);
    expect(rest).not.toContainEqual([1, 'GET,/b,200']);
  });

  it('skips a series whose id was reused while joined() is paused', () => {
    const index = new SeriesIndex(3);
    index.insert(['POST', '/y', '200'], 2);
    index.insert(['POST', '/y', '201'], 3);
    index.insert(['GET', '/a', '200'], 0);
    index.insert(['PUT', '/b', '200'], 1);
    const series = index.joined((_, value) => value);
    expect(series.next().value).toEqual([2, 'POST,/y,200']);
    index.delete(['PUT', '/b', '200']);
    index.insert(['POST', '/z', '200'], 1);
    const rest = [...series];
    expect(rest).toContainEqual([0, 'GET,/a,200']);
    expect(rest.filter(([, text]) => text.startsWith('PUT'))).toEqual([]);
    expect(joined(index)).toEqual([
      '2:0=POST,1=/y,2=200',
      '3:0=POST,1=/y,2=201',
      '1:0=POST,1=/z,2=200',
      '0:0=GET,1=/a,2=200',
    ]);
  });

  it('clears every series', () => {
    const index = new SeriesIndex(2);
    index.insert(['a', 'b'], 0);
    index.insert(['a', 'c'], 1);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.find(['a', 'b'])).toBe(-1);
    expect(visited(index)).toEqual([]);
    index.insert(['a', 'c'], 0);
    expect(visited(index)).toEqual(['0:a/c']);
  });
});
