import type { Aggregation, SeriesResult } from '@vigil/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { type TamperedStore, tamperedStore } from './support/tampered-store.js';

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;

const subjects: TamperedStore[] = [];
afterEach(async () => {
  for (const subject of subjects.splice(0)) await subject.close();
});

/**
 * Three series over two hours, one point a minute: cpu{host="a"} (the one the tests damage),
 * cpu{host="b"} and mem{}.
 */
async function withSeries(): Promise<TamperedStore & { t0: number; damaged: number }> {
  const subject = tamperedStore();
  subjects.push(subject);
  const t0 = subject.clock.now();
  const points = [];
  for (let i = 0; i < 120; i++) {
    const timestamp = t0 + i * MINUTE + 5 * SECOND;
    points.push({ metric: 'cpu', labels: { host: 'a' }, timestamp, value: 1 });
    points.push({ metric: 'cpu', labels: { host: 'b' }, timestamp, value: 2 });
    points.push({ metric: 'mem', labels: {}, timestamp, value: 3 });
  }
  await subject.store.timeSeries.append(points);
  const damaged = subject.db
    .prepare(`SELECT id FROM vigil_series WHERE metric = 'cpu' AND labels = '{"host":"a"}'`)
    .pluck()
    .get() as number;
  return { ...subject, t0, damaged };
}

function query(
  subject: TamperedStore & { t0: number },
  metric: string,
  step: number,
  labels?: Record<string, string>,
  aggregation: Aggregation = 'sum',
): Promise<SeriesResult[]> {
  return subject.store.timeSeries.query({
    metric,
    ...(labels === undefined ? {} : { labels }),
    from: subject.t0,
    to: subject.t0 + 2 * HOUR,
    step,
    aggregation,
  });
}

/** The sum of every point of every series answered. */
function total(results: readonly SeriesResult[]): number {
  return results.reduce((sum, r) => sum + r.points.reduce((s, [, v]) => s + v, 0), 0);
}

const corruptSeriesA = (table: string) =>
  expect.objectContaining({
    code: 'STORE_CORRUPT',
    message: expect.stringMatching(new RegExp(`${table}.*cpu\\{host="a"\\}`)),
  });

describe('SqliteTimeSeriesStore with rows damaged behind its back', () => {
  it.each<[string, string]>([
    ['text', "'garbage'"],
    ['+Infinity', '9e999'],
    ['-Infinity', '-9e999'],
  ])('a point whose minute is %s fails the queries of its series only', async (_, damage) => {
    const subject = await withSeries();
    subject.db
      .prepare(
        `UPDATE vigil_points SET minute = ${damage}
           WHERE series_id = ? AND minute = (SELECT min(minute) FROM vigil_points)`,
      )
      .run(subject.damaged);
    for (const step of [SECOND, MINUTE, HOUR]) {
      // The other series are whole, whichever table the step reads.
      expect(total(await query(subject, 'mem', step)), `mem at ${step}`).toBe(360);
      expect(total(await query(subject, 'cpu', step, { host: 'b' })), `b at ${step}`).toBe(240);
    }
    // Raw points are read at a step of 1 s; a point that cannot be placed in time fails its
    // series' query, whatever the range.
    await expect(query(subject, 'cpu', SECOND)).rejects.toEqual(corruptSeriesA('vigil_points'));
    await expect(query(subject, 'cpu', SECOND, { host: 'a' })).rejects.toEqual(
      corruptSeriesA('vigil_points'),
    );
  });

  it('a bucket damaged in the hour rollup fails the hour queries of its series only', async () => {
    const subject = await withSeries();
    subject.db
      .prepare(
        `UPDATE vigil_rollup_1h SET bucket = 'garbage'
         WHERE series_id = ? AND bucket = (SELECT min(bucket) FROM vigil_rollup_1h)`,
      )
      .run(subject.damaged);
    expect(total(await query(subject, 'mem', HOUR))).toBe(360);
    expect(total(await query(subject, 'cpu', HOUR, { host: 'b' }))).toBe(240);
    await expect(query(subject, 'cpu', HOUR)).rejects.toEqual(corruptSeriesA('vigil_rollup_1h'));
    // Steps that do not read the hour rollup are not affected.
    expect(total(await query(subject, 'cpu', MINUTE, { host: 'a' }))).toBe(120);
  });

  it.each<[string, string]>([
    ['a text timestamp', "ts = 'garbage'"],
    ['an infinite timestamp', 'ts = 9e999'],
    ['a timestamp outside its minute', 'ts = ts + 3600000'],
    ['a text value', "value = 'garbage'"],
    ['a +Infinity value', 'value = 9e999'],
    ['a -Infinity value', 'value = -9e999'],
  ])('a point with %s is STORE_CORRUPT, not dropped or returned', async (_, damage) => {
    const subject = await withSeries();
    subject.db
      .prepare(
        `UPDATE vigil_points SET ${damage}
         WHERE series_id = ? AND minute = (SELECT min(minute) + 3 FROM vigil_points)`,
      )
      .run(subject.damaged);
    for (const aggregation of ['sum', 'avg', 'last', 'min', 'max'] as const) {
      await expect(query(subject, 'cpu', SECOND, undefined, aggregation)).rejects.toEqual(
        corruptSeriesA('vigil_points'),
      );
    }
    expect(total(await query(subject, 'cpu', SECOND, { host: 'b' }))).toBe(240);
  });

  it.each<[string, string, Aggregation]>([
    ['an infinite sum', 'sum = 9e999', 'sum'],
    ['an infinite min', 'min = -9e999', 'min'],
    ['an infinite max', 'max = 9e999', 'max'],
    ['an infinite last', 'last = 9e999', 'last'],
    ['a text last_at', "last_at = 'garbage'", 'last'],
    ['a fractional count', 'count = 2.5', 'avg'],
  ])('a minute rollup cell with %s is STORE_CORRUPT', async (_, damage, aggregation) => {
    const subject = await withSeries();
    subject.db
      .prepare(
        `UPDATE vigil_rollup_1m SET ${damage}
         WHERE series_id = ? AND bucket = (SELECT min(bucket) + 180000 FROM vigil_rollup_1m)`,
      )
      .run(subject.damaged);
    await expect(query(subject, 'cpu', MINUTE, undefined, aggregation)).rejects.toEqual(
      corruptSeriesA('vigil_rollup_1m'),
    );
    expect(total(await query(subject, 'cpu', MINUTE, { host: 'b' }, aggregation))).toBeGreaterThan(
      0,
    );
  });

  it('an append into a damaged rollup cell keeps it damaged instead of overwriting it', async () => {
    const subject = await withSeries();
    for (const column of ['count', 'sum', 'min']) {
      subject.db
        .prepare(
          `UPDATE vigil_rollup_1m SET ${column} = 'garbage'
           WHERE series_id = ? AND bucket = (SELECT max(bucket) FROM vigil_rollup_1m)`,
        )
        .run(subject.damaged);
    }
    const last = subject.t0 + 119 * MINUTE + 10 * SECOND;
    await subject.store.timeSeries.append([
      { metric: 'cpu', labels: { host: 'a' }, timestamp: last, value: 1 },
    ]);
    for (const aggregation of ['sum', 'avg', 'min'] as const) {
      await expect(query(subject, 'cpu', MINUTE, { host: 'a' }, aggregation)).rejects.toEqual(
        corruptSeriesA('vigil_rollup_1m'),
      );
    }
  });
});
