import type { SeriesPoint } from '@vigil/storage';
import { referenceSeries } from '@vigil/storage/testing';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { tempDatabase } from './support/sqlite-subject.js';

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
const HOUR = 3_600_000;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function open(path = ':memory:'): SqliteStore {
  const store = new SqliteStore({ path, retention: false });
  cleanups.push(() => store.close());
  return store;
}

function sharedFile(): string {
  const file = tempDatabase();
  cleanups.push(() => file.remove());
  return file.path;
}

function point(timestamp: number, value: number, labels: Record<string, string> = {}): SeriesPoint {
  return { metric: 'm', labels, timestamp, value };
}

describe('SqliteTimeSeriesStore', () => {
  it('last: of equal timestamps the later append wins, from raw points and rollups', async () => {
    const store = open();
    await store.timeSeries.append([point(T0 + 5, 1), point(T0 + 5, 2)]);
    await store.timeSeries.append([point(T0 + 5, 3)]);
    await store.timeSeries.append([point(T0 + 5, 0), point(T0 + 4, 9)]);
    for (const step of [1_000, MINUTE, HOUR]) {
      const [series] = await store.timeSeries.query({
        metric: 'm',
        from: T0,
        to: T0 + HOUR,
        step,
        aggregation: 'last',
      });
      expect(series?.points, `step ${step}`).toEqual([[T0, 0]]);
    }
  });

  it('answers like the raw points for fractional and pre-epoch timestamps', async () => {
    const store = open();
    const points = [-90_000.5, -60_000, -1.25, 0, 0.5, 59_999.75, 60_000, 3_600_000.5].map((t, i) =>
      point(t, i),
    );
    await store.timeSeries.append(points);
    for (const step of [1_000, MINUTE, HOUR]) {
      for (const aggregation of ['avg', 'last', 'sum'] as const) {
        const query = { from: -HOUR, to: 2 * HOUR, step, aggregation };
        const [series] = await store.timeSeries.query({ metric: 'm', ...query });
        expect(series?.points, `${step} ${aggregation}`).toEqual(referenceSeries(points, query));
      }
    }
  });

  it('a range far wider than the data (from 0) reads only where data is', async () => {
    const store = open();
    await store.timeSeries.append([point(T0, 1), point(T0 + 2 * HOUR + 1, 2)]);
    for (const step of [1_000, MINUTE, HOUR]) {
      const [series] = await store.timeSeries.query({
        metric: 'm',
        from: 0,
        to: 10 * T0,
        step,
        aggregation: 'sum',
      });
      expect(
        series?.points.map(([, v]) => v),
        `step ${step}`,
      ).toEqual([1, 2]);
    }
  });

  it('writes batches of any size (multi-row statements and their remainder)', async () => {
    const store = open();
    const labelSets = Array.from({ length: 73 }, (_, i) => ({ s: String(i) }));
    const points = Array.from({ length: 1_234 }, (_, i) =>
      point(T0 + i * 997, i, labelSets[i % 73] as Record<string, string>),
    );
    await store.timeSeries.append(points);
    const results = await store.timeSeries.query({
      metric: 'm',
      from: T0,
      to: T0 + 2 * HOUR,
      step: HOUR,
      aggregation: 'sum',
    });
    expect(results).toHaveLength(73);
    const total = results.reduce((sum, r) => sum + r.points.reduce((s, [, v]) => s + v, 0), 0);
    expect(total).toBe((1_233 * 1_234) / 2);
  });

  it('two clients of one file share series, whichever created them', async () => {
    const path = sharedFile();
    const a = open(path);
    const b = open(path);
    await a.timeSeries.append([point(T0, 1, { host: 'x' })]);
    await b.timeSeries.append([point(T0 + 1, 2, { host: 'x' }), point(T0 + 2, 5, { host: 'y' })]);
    await a.timeSeries.append([point(T0 + 3, 3, { host: 'y' })]);
    const results = await a.timeSeries.query({
      metric: 'm',
      from: T0,
      to: T0 + MINUTE,
      step: MINUTE,
      aggregation: 'sum',
    });
    expect(results).toEqual([
      { metric: 'm', labels: { host: 'x' }, points: [[T0, 3]] },
      { metric: 'm', labels: { host: 'y' }, points: [[T0, 8]] },
    ]);
  });

  it('a failed append writes nothing and leaves no stale series id behind', async () => {
    const path = sharedFile();
    const store = open(path);
    const other = new Database(path);
    cleanups.push(() => {
      other.close();
    });
    other.exec(
      "CREATE TRIGGER fail BEFORE INSERT ON vigil_points BEGIN SELECT RAISE(ABORT, 'injected'); END",
    );
    await expect(store.timeSeries.append([point(T0, 1, { new: 'series' })])).rejects.toThrow(
      /injected/,
    );
    expect(other.prepare('SELECT count(*) FROM vigil_series').pluck().get()).toBe(0);
    other.exec('DROP TRIGGER fail');
    await store.timeSeries.append([point(T0 + 1, 2, { new: 'series' })]);
    expect(
      await store.timeSeries.query({ metric: 'm', from: T0, to: T0 + MINUTE, step: MINUTE }),
    ).toEqual([{ metric: 'm', labels: { new: 'series' }, points: [[T0, 2]] }]);
  });

  it('deleteBefore works through a backlog in several short transactions', async () => {
    const store = open(sharedFile());
    const points: SeriesPoint[] = [];
    for (let i = 0; i < 120_000; i++) points.push(point(T0 + i * 100, 1, { s: String(i % 3) }));
    for (let i = 0; i < points.length; i += 10_000) {
      await store.timeSeries.append(points.slice(i, i + 10_000));
    }
    const cut = T0 + 110_000 * 100 + 50;
    expect(await store.timeSeries.deleteBefore(cut)).toBe(110_001);
    const results = await store.timeSeries.query({
      metric: 'm',
      from: 0,
      to: T0 + 2 * 86_400_000,
      step: HOUR,
      aggregation: 'sum',
    });
    expect(results.reduce((sum, r) => sum + r.points.reduce((s, [, v]) => s + v, 0), 0)).toBe(
      9_999,
    );
  });

  it('keeps labels with any characters', async () => {
    const store = open();
    const labels = { 'a"b': 'ü\n\u0000', path: '/x?y=1&z', empty: '' };
    await store.timeSeries.append([point(T0, 1, labels)]);
    const [series] = await store.timeSeries.query({
      metric: 'm',
      labels: { path: /\/x.*/ },
      from: T0,
      to: T0 + 1,
      step: 1,
    });
    expect(series?.labels).toEqual(labels);
  });
});
