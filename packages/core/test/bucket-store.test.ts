import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketStore, MAX_BUCKETS } from '../src/sketch/bucket-store.js';

type Add = readonly [index: number, count: number];

function storeOf(adds: readonly Add[]): BucketStore {
  const store = new BucketStore();
  for (const [index, count] of adds) store.add(index, count);
  return store;
}

// The collapsing-lowest model: every count in its bucket, except that buckets below
// (highest - MAX_BUCKETS + 1) fold into that lowest kept bucket.
function model(adds: readonly Add[]): { offset: number; counts: number[] } {
  if (adds.length === 0) return { offset: 0, counts: [] };
  const indices = adds.map(([index]) => index);
  const hi = Math.max(...indices);
  const lo = Math.max(Math.min(...indices), hi - MAX_BUCKETS + 1);
  const counts = new Array<number>(hi - lo + 1).fill(0);
  for (const [index, count] of adds) counts[Math.max(index, lo) - lo]! += count;
  return { offset: lo, counts };
}

// Narrow spans stay in one array; wide ones grow it, re-centre it and fold.
const index = fc.oneof(
  fc.integer({ min: -40, max: 40 }),
  fc.integer({ min: -20_000, max: 20_000 }),
);
const add = fc.tuple(index, fc.integer({ min: 1, max: 5 }));
const adds = fc.array(add, { maxLength: 300 });

describe('BucketStore', () => {
  it('is empty until counted into, as offset 0 and no counts', () => {
    const store = new BucketStore();
    expect(store.total).toBe(0);
    expect(store.toJSON()).toEqual({ offset: 0, counts: [] });
  });

  it('counts into dense buckets and lists them trimmed of zeros', () => {
    const store = storeOf([
      [5, 1],
      [3, 2],
      [9, 4],
    ]);
    expect(store.total).toBe(7);
    expect(store.toJSON()).toEqual({ offset: 3, counts: [2, 0, 1, 0, 0, 0, 4] });
  });

  it('finds the bucket of a rank, counting from the lowest', () => {
    const store = storeOf([
      [3, 2],
      [5, 1],
      [9, 4],
    ]);
    expect([1, 2, 3, 4, 7].map((rank) => store.indexAtRank(rank))).toEqual([3, 3, 5, 9, 9]);
  });

  it('folds the lowest buckets into the lowest kept one past MAX_BUCKETS', () => {
    const store = storeOf([
      [0, 1],
      [10, 2],
      [MAX_BUCKETS + 5, 3],
    ]);
    // The kept span is [6, MAX_BUCKETS + 5]: bucket 0 folds into 6, bucket 10 keeps its count.
    expect(store.toJSON().offset).toBe(6);
    expect(store.toJSON().counts.slice(0, 5)).toEqual([1, 0, 0, 0, 2]);
    expect(store.toJSON().counts.length).toBe(MAX_BUCKETS);
    expect(store.total).toBe(6);
    // A bucket below the kept span arrives in its lowest bucket.
    store.add(-1_000_000, 1);
    expect(store.toJSON().counts[0]).toBe(2);
  });

  it('empties on reset and fills again like a new store', () => {
    const before: Add[] = [
      [-50, 1],
      [70, 2],
    ];
    const store = storeOf(before);
    store.reset();
    expect(store.total).toBe(0);
    expect(store.toJSON()).toEqual({ offset: 0, counts: [] });
    // Within the array it had, then beyond it.
    const after: Add[] = [
      [70, 2],
      [-50, 1],
      [0, 4],
      [1_000, 3],
    ];
    for (const [index, count] of after) store.add(index, count);
    expect(store.toJSON()).toEqual(storeOf(after).toJSON());
    expect(store.total).toBe(10);
  });

  it('keeps exactly the buckets of the collapsing-lowest model, in any order of arrival', () => {
    // Sorted arrivals make the bucket window drift, moving the array up or down over and over.
    const order = fc.constantFrom('as generated', 'ascending', 'descending');
    fc.assert(
      fc.property(adds, order, (data, o) => {
        if (o !== 'as generated')
          data.sort((a, b) => (o === 'ascending' ? a[0] - b[0] : b[0] - a[0]));
        const store = storeOf(data);
        expect(store.toJSON()).toEqual(model(data));
        expect(store.total).toBe(data.reduce((sum, [, count]) => sum + count, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps counts exact as they outgrow a byte, 16 bits and 32 bits per bucket', () => {
    // Counts start in a Uint8Array and widen; the model holds plain numbers.
    const large = fc.tuple(
      index,
      fc.oneof(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 70_000 }),
        fc.integer({ min: 1, max: 2 ** 33 }),
      ),
    );
    fc.assert(
      fc.property(fc.array(large, { maxLength: 100 }), (data) => {
        const store = storeOf(data);
        expect(store.toJSON()).toEqual(model(data));
        const merged = new BucketStore();
        merged.merge(store);
        merged.merge(store);
        expect(merged.total).toBe(2 * store.total);
      }),
      { numRuns: 200 },
    );
    const store = storeOf([
      [7, 255],
      [7, 1],
      [7, 65_280],
      [7, 2 ** 32],
    ]);
    expect(store.toJSON()).toEqual({ offset: 7, counts: [2 ** 32 + 65_536] });
  });

  it('merges shards into the store of everything', () => {
    fc.assert(
      fc.property(fc.array(adds, { maxLength: 5 }), (shards) => {
        const merged = new BucketStore();
        for (const shard of shards) merged.merge(storeOf(shard));
        expect(merged.toJSON()).toEqual(model(shards.flat()));
      }),
    );
  });

  it('loads its own JSON back', () => {
    fc.assert(
      fc.property(adds, (data) => {
        const json = storeOf(data).toJSON();
        const loaded = new BucketStore();
        loaded.load(json);
        expect(loaded.toJSON()).toEqual(json);
      }),
    );
  });
});
