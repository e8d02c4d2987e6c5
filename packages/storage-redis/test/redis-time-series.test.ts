import type { Aggregation, SeriesPoint } from '@vigil/storage';
import { CONTRACT_EPOCH, referenceSeries } from '@vigil/storage/testing';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { RedisStore } from '../src/index.js';
import { KeySpace } from '../src/key-space.js';
import { dropPrefix, uniquePrefix } from './redis-test-data.js';

const url = inject('redisUrl');
const DAY = 86_400_000;
const AGGREGATIONS: Aggregation[] = ['avg', 'min', 'max', 'last', 'sum'];

let store: RedisStore;
let raw: Redis;
let keys: KeySpace;

beforeEach(() => {
  const keyPrefix = uniquePrefix();
  store = new RedisStore({ url, keyPrefix, clock: { now: () => CONTRACT_EPOCH + DAY } });
  raw = new Redis(url);
  keys = new KeySpace(keyPrefix);
});

afterEach(async () => {
  await store.close();
  await dropPrefix(raw, keys.prefix);
  await raw.quit();
});

/** A day of points every 15 s (with a jitter) for two hosts. */
function day(): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (const host of ['a', 'b']) {
    for (let t = CONTRACT_EPOCH; t < CONTRACT_EPOCH + DAY; t += 15_000) {
      const timestamp = t + ((t / 15_000) % 7) * 100 + (host === 'a' ? 0 : 1);
      points.push({ metric: 'cpu', labels: { host }, timestamp, value: (t / 15_000) % 97 });
    }
  }
  return points;
}

describe('RedisTimeSeries', () => {
  it('answers a 24 h query at 60 s from the 60 s rollup, as the raw points would', async () => {
    const points = day();
    await store.timeSeries.append(points);
    // A raw point the rollup path must not read: it sits inside the whole minutes of the range.
    const rawA = keys.seriesRaw('cpu', '{"host":"a"}');
    await raw.zadd(rawA, CONTRACT_EPOCH + DAY / 2, 'not a point');
    const query = {
      metric: 'cpu',
      labels: { host: 'a' },
      from: CONTRACT_EPOCH,
      to: CONTRACT_EPOCH + DAY,
      step: 60_000,
    };
    const hostA = points.filter((point) => point.labels.host === 'a');
    for (const aggregation of AGGREGATIONS) {
      const [series] = await store.timeSeries.query({ ...query, aggregation });
      expect(series?.points).toHaveLength(1_440);
      expect(series?.points).toEqual(referenceSeries(hostA, { ...query, aggregation }));
    }
    // The same range at 1 s has to read raw points, and finds the bad one.
    await expect(store.timeSeries.query({ ...query, step: 1_000 })).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
  });

  it('answers 1 h steps from the 1 h rollup, with raw points at ragged edges', async () => {
    const points = day();
    await store.timeSeries.append(points);
    const query = {
      metric: 'cpu',
      from: CONTRACT_EPOCH + 1_234_567,
      to: CONTRACT_EPOCH + DAY - 7_654_321,
      step: 3_600_000,
    };
    const results = await store.timeSeries.query(query);
    expect(results.map((result) => result.labels)).toEqual([{ host: 'a' }, { host: 'b' }]);
    for (const result of results) {
      const own = points.filter((point) => point.labels.host === result.labels.host);
      expect(result.points).toEqual(referenceSeries(own, { ...query, aggregation: 'avg' }));
    }
    const rollups = await raw.zcard(keys.seriesRollup(3_600_000, 'cpu', '{"host":"a"}'));
    expect(rollups).toBe(24);
  });

  it('splits a very large append into several scripts and keeps every point', async () => {
    const points: SeriesPoint[] = Array.from({ length: 25_000 }, (_, i) => ({
      metric: 'big',
      labels: { shard: String(i % 3) },
      timestamp: CONTRACT_EPOCH + i,
      value: 1,
    }));
    await store.timeSeries.append(points);
    const results = await store.timeSeries.query({
      metric: 'big',
      from: CONTRACT_EPOCH,
      to: CONTRACT_EPOCH + 60_000,
      step: 60_000,
      aggregation: 'sum',
    });
    expect(results.map((result) => result.points[0]?.[1]).sort()).toEqual([8_333, 8_333, 8_334]);
    expect(await raw.get(keys.seriesSequence())).toBe('25000');
  });

  it('keeps equal points apart and resolves last among equal timestamps by append order', async () => {
    const at = CONTRACT_EPOCH + 5_000;
    await store.timeSeries.append([
      { metric: 'm', labels: {}, timestamp: at, value: 1 },
      { metric: 'm', labels: {}, timestamp: at, value: 1 },
    ]);
    await store.timeSeries.append([{ metric: 'm', labels: {}, timestamp: at, value: 0.5 }]);
    const ask = (step: number, aggregation: Aggregation) =>
      store.timeSeries.query({ metric: 'm', from: at, to: at + 1, step, aggregation });
    for (const step of [1, 60_000]) {
      expect((await ask(step, 'sum'))[0]?.points).toEqual([[at - (at % step), 2.5]]);
      expect((await ask(step, 'last'))[0]?.points).toEqual([[at - (at % step), 0.5]]);
    }
  });

  it('keeps exact doubles through the rollups (sums written with 17 digits)', async () => {
    const values = [0.1, 0.2, 0.3, 1e-17, 123_456.789, -0.7];
    await store.timeSeries.append(
      values.map((value, i) => ({ metric: 'f', labels: {}, timestamp: CONTRACT_EPOCH + i, value })),
    );
    await store.timeSeries.append([
      { metric: 'f', labels: {}, timestamp: CONTRACT_EPOCH + 9, value: 0.1 },
    ]);
    const [series] = await store.timeSeries.query({
      metric: 'f',
      from: CONTRACT_EPOCH,
      to: CONTRACT_EPOCH + 60_000,
      step: 60_000,
      aggregation: 'sum',
    });
    const expected = [...values, 0.1].reduce((sum, value) => sum + value);
    expect(series?.points).toEqual([[CONTRACT_EPOCH, expected]]);
  });

  it('deleteBefore rebuilds the cell it cuts through and drops emptied series from the indexes', async () => {
    await store.timeSeries.append([
      { metric: 'm', labels: { s: 'old' }, timestamp: CONTRACT_EPOCH + 1_000, value: 1 },
      { metric: 'm', labels: { s: 'cut' }, timestamp: CONTRACT_EPOCH + 2_000, value: 10 },
      { metric: 'm', labels: { s: 'cut' }, timestamp: CONTRACT_EPOCH + 40_000, value: 20 },
    ]);
    expect(await store.timeSeries.deleteBefore(CONTRACT_EPOCH + 30_000)).toBe(2);
    const results = await store.timeSeries.query({
      metric: 'm',
      from: CONTRACT_EPOCH,
      to: CONTRACT_EPOCH + 3_600_000,
      step: 3_600_000,
      aggregation: 'sum',
    });
    expect(results).toEqual([
      { metric: 'm', labels: { s: 'cut' }, points: [[CONTRACT_EPOCH, 20]] },
    ]);
    expect(await raw.zrange(keys.seriesIndex('m'), 0, -1)).toEqual(['{"s":"cut"}']);
    expect(await raw.exists(keys.seriesRollup(60_000, 'm', '{"s":"old"}'))).toBe(0);
    expect(await store.timeSeries.deleteBefore(Number.POSITIVE_INFINITY)).toBe(1);
    expect(await raw.smembers(keys.seriesMetrics())).toEqual([]);
    expect(await store.timeSeries.deleteBefore(Number.NEGATIVE_INFINITY)).toBe(0);
  });

  it('rejects a corrupt rollup cell on the next append into it', async () => {
    await store.timeSeries.append([
      { metric: 'm', labels: {}, timestamp: CONTRACT_EPOCH, value: 1 },
    ]);
    const rollup = keys.seriesRollup(60_000, 'm', '{}');
    await raw.del(rollup);
    await raw.zadd(rollup, CONTRACT_EPOCH, `${CONTRACT_EPOCH}:x`);
    await expect(
      store.timeSeries.append([
        { metric: 'm', labels: {}, timestamp: CONTRACT_EPOCH + 1, value: 1 },
      ]),
    ).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });
});
