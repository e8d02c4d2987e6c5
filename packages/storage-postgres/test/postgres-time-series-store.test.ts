import { type ManualClock, manualClock } from '@vigil/storage/testing';
import { rejection } from '@vigil/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PostgresStore } from '../src/index.js';
import { openStore, raw } from './support/postgres.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

let clock: ManualClock;
let store: PostgresStore;
let schema: string;
let cleanup: () => Promise<void>;

async function setup(): Promise<void> {
  clock = manualClock();
  ({ store, schema, cleanup } = await openStore({ clock }));
}

afterEach(async () => {
  await cleanup();
});

const cpu = (timestamp: number, value: number, host = 'a') => ({
  metric: 'cpu',
  labels: { host },
  timestamp,
  value,
});

describe('PostgresTimeSeriesStore', () => {
  it('answers rollup-sized steps from the rollup tables, not the raw points', async () => {
    await setup();
    const t = clock.now();
    await store.timeSeries.append([cpu(t, 1), cpu(t + 1_000, 3), cpu(t + MINUTE + 5, 10)]);
    await store.timeSeries.append([cpu(t + 2_000, 5)]);
    const [minute] = await raw<{ count: string; sum: number; last: number }>(
      `SELECT count, sum, last FROM "${schema}".rollups_1m ORDER BY bucket LIMIT 1`,
    );
    expect(minute).toEqual({ count: '3', sum: 9, last: 5 });
    // With the raw points gone behind the store's back, only the rollups can answer.
    await raw(`DELETE FROM "${schema}".points`);
    const query = { metric: 'cpu', from: t, to: t + HOUR, aggregation: 'sum' } as const;
    expect(await store.timeSeries.query({ ...query, step: MINUTE })).toEqual([
      {
        metric: 'cpu',
        labels: { host: 'a' },
        points: [
          [t, 9],
          [t + MINUTE, 10],
        ],
      },
    ]);
    expect(await store.timeSeries.query({ ...query, step: HOUR })).toEqual([
      { metric: 'cpu', labels: { host: 'a' }, points: [[t, 19]] },
    ]);
    expect(await store.timeSeries.query({ ...query, step: 1_000 })).toEqual([]);
  });

  it('keeps points in a table partitioned by time, with an index for the range query', async () => {
    await setup();
    await store.timeSeries.append([cpu(clock.now(), 1)]);
    const [partitioned] = await raw<{ strategy: string }>(
      `SELECT partstrat AS strategy FROM pg_partitioned_table
       WHERE partrelid = '"${schema}".points'::regclass`,
    );
    expect(partitioned?.strategy).toBe('r');
    const plan = await raw<{ 'QUERY PLAN': string }>(
      `SET enable_seqscan = off;
       EXPLAIN SELECT ts, value FROM "${schema}".points
       WHERE series_id = ANY('{1,2}'::bigint[]) AND ts >= 0 AND ts < 100`,
    );
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/series_id_ts/);
  });

  it('rejects non-finite values stored behind its back as STORE_CORRUPT, raw or rolled up', async () => {
    await setup();
    const t = clock.now();
    await store.timeSeries.append([cpu(t, 1), cpu(t + 1, 2)]);
    await raw(`UPDATE "${schema}".points SET value = 'NaN'`);
    await raw(`UPDATE "${schema}".rollups_1m SET max = 'Infinity'`);
    for (const step of [1_000, 1.5, MINUTE]) {
      const query = { metric: 'cpu', from: t, to: t + MINUTE, step, aggregation: 'max' } as const;
      expect(await rejection(store.timeSeries.query(query)), `step ${step}`).toMatchObject({
        code: 'STORE_CORRUPT',
      });
    }
  });

  it('refuses timestamps that are not whole milliseconds, writing nothing', async () => {
    await setup();
    const t = clock.now();
    expect(await rejection(store.timeSeries.append([cpu(t, 1), cpu(t + 0.5, 2)]))).toMatchObject({
      code: 'STORE_INVALID_ARGUMENT',
    });
    expect(await store.timeSeries.query({ metric: 'cpu', from: t, to: t + 1, step: 1 })).toEqual(
      [],
    );
  });

  it('answers a step that is not a whole number of ms from the raw points', async () => {
    await setup();
    const t = clock.now();
    await store.timeSeries.append([cpu(t, 1), cpu(t + 1, 2), cpu(t + 2, 4)]);
    const [result] = await store.timeSeries.query({
      metric: 'cpu',
      from: t,
      to: t + 3,
      step: 1.5,
      aggregation: 'sum',
    });
    expect(result?.points.map(([, value]) => value)).toEqual([3, 4]);
  });

  it('sweeps points older than the retention, and expired keys, in the background', async () => {
    // Only the sweeper's interval is faked: pg's own timers stay real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const errors: unknown[] = [];
    clock = manualClock();
    ({ store, schema, cleanup } = await openStore({
      clock,
      retention: '1h',
      sweepInterval: '1m',
      onError: (error) => errors.push(error),
    }));
    const t = clock.now();
    await store.timeSeries.append([cpu(t, 1), cpu(t + 2 * HOUR, 2)]);
    await store.records.set('ns', 'k', 1, { ttl: '1m' });
    clock.advance(2 * HOUR + 1);
    vi.advanceTimersByTime(MINUTE);
    vi.useRealTimers();
    const left = () =>
      raw<{ points: string; records: string }>(
        `SELECT (SELECT count(*) FROM "${schema}".points) AS points,
                (SELECT count(*) FROM "${schema}".records) AS records`,
      );
    // The sweep runs in the background, one statement after another (points, then records):
    // read until all of its effect shows.
    const swept = async () => {
      const [counts] = await left();
      return counts?.points === '1' && counts.records === '0';
    };
    await vi.waitUntil(swept, { timeout: 10_000 });
    expect(await left()).toEqual([{ points: '1', records: '0' }]);
    expect(errors).toEqual([]);
  });
});

describe('PostgresTimeSeriesStore.deleteBefore', () => {
  it('deletes a backlog larger than one batch, across partitions, and keeps rollups equal to points', async () => {
    await setup();
    const t = Date.UTC(2026, 0, 1);
    await store.migrate();
    await raw(`CREATE TABLE "${schema}".points_jan PARTITION OF "${schema}".points
      FOR VALUES FROM (${t}) TO (${t + 31 * 24 * HOUR})`);
    // 24,000 points of 4 series a second apart (more than two batches of 10,000), half before
    // the cut, plus a few in the default partition.
    const points = [];
    for (let i = 0; i < 6_000; i++) {
      for (const host of ['a', 'b', 'c', 'd']) points.push(cpu(t + i * 1_000, 1, host));
    }
    points.push(cpu(t - HOUR, 1), cpu(t - 2 * HOUR, 1));
    for (let i = 0; i < points.length; i += 5_000) {
      await store.timeSeries.append(points.slice(i, i + 5_000));
    }
    const cut = t + 3_000 * 1_000 + 500; // mid-minute, mid-hour
    expect(await store.timeSeries.deleteBefore(cut)).toBe(12_004 + 2);
    const query = {
      metric: 'cpu',
      from: t - 3 * HOUR,
      to: t + 3 * HOUR,
      aggregation: 'sum',
    } as const;
    for (const step of [MINUTE, HOUR]) {
      const fromRollups = await store.timeSeries.query({ ...query, step });
      const fromPoints = await store.timeSeries.query({ ...query, step: step + 1 });
      const total = (results: typeof fromRollups) =>
        results.reduce((sum, r) => sum + r.points.reduce((s, [, v]) => s + v, 0), 0);
      expect(total(fromRollups)).toBe(4 * 2_999);
      expect(total(fromPoints)).toBe(4 * 2_999);
    }
  });
});
