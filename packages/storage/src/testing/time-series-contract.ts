import { expect } from 'vitest';
import type { Aggregation, SeriesPoint, SeriesResult } from '../time-series-store.js';
import type { ContractContext } from './contract-context.js';
import { referenceSeries, samplePoints } from './series-reference.js';

const AGGREGATIONS: readonly Aggregation[] = ['avg', 'min', 'max', 'last', 'sum'];
const MINUTE = 60_000;
const HOUR = 3_600_000;

function point(
  timestamp: number,
  value: number,
  labels: Record<string, string> = {},
  metric = 'cpu',
): SeriesPoint {
  return { metric, labels, timestamp, value };
}

/** Results in a stable order (the store may answer series in any order). */
function sorted(results: SeriesResult[]): SeriesResult[] {
  const key = (r: SeriesResult) => JSON.stringify(Object.entries(r.labels).sort());
  return [...results].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `TimeSeriesStore`: append, query (aggregations, matchers, alignment, bounds), rollups, deleteBefore. */
export function timeSeriesContract({ subject, test }: ContractContext): void {
  test('series: a metric without points answers []', async () => {
    const { store, clock } = subject();
    const t = clock.now();
    expect(
      await store.timeSeries.query({ metric: 'none', from: t, to: t + HOUR, step: MINUTE }),
    ).toEqual([]);
    await store.timeSeries.append([]);
    expect(
      await store.timeSeries.query({ metric: 'cpu', from: t, to: t + HOUR, step: 1_000 }),
    ).toEqual([]);
  });

  test('series: each aggregation over raw points (step 1 s)', async () => {
    const { store, clock } = subject();
    const t = clock.now();
    await store.timeSeries.append([point(t, 1), point(t + 500, 3), point(t + 200, 2)]);
    await store.timeSeries.append([point(t + 1_000, 5), point(t + 2_999, -4)]);
    const expected: Record<Aggregation, Array<[number, number]>> = {
      avg: [
        [t, 2],
        [t + 1_000, 5],
        [t + 2_000, -4],
      ],
      min: [
        [t, 1],
        [t + 1_000, 5],
        [t + 2_000, -4],
      ],
      max: [
        [t, 3],
        [t + 1_000, 5],
        [t + 2_000, -4],
      ],
      last: [
        [t, 3],
        [t + 1_000, 5],
        [t + 2_000, -4],
      ],
      sum: [
        [t, 6],
        [t + 1_000, 5],
        [t + 2_000, -4],
      ],
    };
    for (const aggregation of AGGREGATIONS) {
      expect(
        await store.timeSeries.query({
          metric: 'cpu',
          from: t,
          to: t + 10_000,
          step: 1_000,
          aggregation,
        }),
        aggregation,
      ).toEqual([{ metric: 'cpu', labels: {}, points: expected[aggregation] }]);
    }
    expect(
      await store.timeSeries.query({ metric: 'cpu', from: t, to: t + 10_000, step: 1_000 }),
    ).toEqual([{ metric: 'cpu', labels: {}, points: expected.avg }]);
  });

  test('series: from is inclusive, to exclusive; buckets align to multiples of step since the epoch', async () => {
    const { store, clock } = subject();
    const t = clock.now(); // a multiple of 10 s
    await store.timeSeries.append(
      [1, 3_000, 9_999, 10_000, 12_000, 20_000].map((dt, i) => point(t + dt, i)),
    );
    const query = (from: number, to: number, step = 10_000) =>
      store.timeSeries.query({
        metric: 'cpu',
        from: t + from,
        to: t + to,
        step,
        aggregation: 'sum',
      });
    expect((await query(3_000, 20_000))[0]?.points).toEqual([
      [t, 1 + 2],
      [t + 10_000, 3 + 4],
    ]);
    expect((await query(3_001, 12_000))[0]?.points).toEqual([
      [t, 2],
      [t + 10_000, 3],
    ]);
    expect(await query(20_001, 30_000)).toEqual([]);
    expect(await query(5_000, 5_000)).toEqual([]);
    expect((await query(0, 30_000, 7_000))[0]?.points).toEqual([
      // t is 2026-01-01, 1_767_225_600_000 ms = 7_000 × 252_460_800: also a multiple of 7 s.
      [t, 0 + 1],
      [t + 7_000, 2 + 3 + 4],
      [t + 14_000, 5],
    ]);
    const odd = (await query(0, 30_000, 9_000))[0]?.points.map(([start]) => start) ?? [];
    for (const start of odd) expect(start % 9_000).toBe(0);
  });

  test('series: labels identify a series whatever their order; results carry all labels', async () => {
    const { store, clock } = subject();
    const t = clock.now();
    await store.timeSeries.append([
      point(t, 1, { host: 'a', core: '0' }),
      point(t + 1, 2, { core: '0', host: 'a' }),
      point(t + 2, 10, { host: 'b', core: '0' }),
      point(t + 3, 99, { host: 'a' }, 'memory'),
    ]);
    const results = await store.timeSeries.query({
      metric: 'cpu',
      from: t,
      to: t + 1_000,
      step: 1_000,
      aggregation: 'sum',
    });
    expect(sorted(results)).toEqual([
      { metric: 'cpu', labels: { core: '0', host: 'a' }, points: [[t, 3]] },
      { metric: 'cpu', labels: { core: '0', host: 'b' }, points: [[t, 10]] },
    ]);
  });

  test('series: label matchers (exact, anchored RegExp, not, missing label is "")', async () => {
    const { store, clock } = subject();
    const t = clock.now();
    const statuses = ['200', '201', '503', '1503', '500'];
    await store.timeSeries.append([
      ...statuses.map((status, i) => point(t, i, { status, route: '/a' }, 'http')),
      point(t, 100, { route: '/b' }, 'http'),
    ]);
    const match = async (labels: Record<string, string | RegExp | { not: string | RegExp }>) =>
      (await store.timeSeries.query({ metric: 'http', labels, from: t, to: t + 1, step: 1_000 }))
        .map((r) => r.labels.status ?? '-')
        .sort();
    expect(await match({ status: '503' })).toEqual(['503']);
    expect(await match({ status: /5../ })).toEqual(['500', '503']);
    expect(await match({ status: /5.*|20./ })).toEqual(['200', '201', '500', '503']);
    expect(await match({ status: /03/ })).toEqual([]);
    expect(await match({ status: { not: /5../ } })).toEqual(['-', '1503', '200', '201']);
    expect(await match({ status: { not: '200' }, route: '/a' })).toEqual([
      '1503',
      '201',
      '500',
      '503',
    ]);
    expect(await match({ status: '' })).toEqual(['-']);
    expect(await match({ status: { not: '' } })).toEqual(['1503', '200', '201', '500', '503']);
    expect(await match({ status: /.*/ })).toEqual(['-', '1503', '200', '201', '500', '503']);
    expect(await match({ nothing: '' })).toHaveLength(6);
    expect(await match({ nothing: 'x' })).toEqual([]);
  });

  test('series: series without points in the range are left out', async () => {
    const { store, clock } = subject();
    const t = clock.now();
    await store.timeSeries.append([point(t, 1, { s: 'early' }), point(t + HOUR, 2, { s: 'late' })]);
    const results = await store.timeSeries.query({
      metric: 'cpu',
      from: t + MINUTE,
      to: t + 2 * HOUR,
      step: MINUTE,
    });
    expect(results).toEqual([{ metric: 'cpu', labels: { s: 'late' }, points: [[t + HOUR, 2]] }]);
  });

  test('series: rollup-sized steps (1 min, 1 h and multiples) answer as the raw points do', async () => {
    const { store, clock } = subject();
    const t = clock.now();
    const labelSets = [{ host: 'a' }, { host: 'b' }];
    const points = samplePoints('load', labelSets, t - 30 * MINUTE, 4 * HOUR, 900);
    // Appended in batches, the second half before the first: order must not matter.
    const half = points.length / 2;
    await store.timeSeries.append(points.slice(half, half + 300));
    await store.timeSeries.append(points.slice(0, half));
    await store.timeSeries.append(points.slice(half + 300));
    const ranges: Array<[number, number]> = [
      [t - HOUR, t + 5 * HOUR],
      [t + 12_345, t + 3 * HOUR - 6_789],
      [t + 10 * MINUTE, t + 2 * HOUR + 10 * MINUTE],
      [t + 90_000, t + 150_000],
    ];
    for (const step of [MINUTE, 5 * MINUTE, HOUR, 2 * HOUR, 45_000]) {
      for (const [from, to] of ranges) {
        for (const aggregation of AGGREGATIONS) {
          const results = sorted(
            await store.timeSeries.query({ metric: 'load', from, to, step, aggregation }),
          );
          const expected = labelSets
            .map((labels) => ({
              metric: 'load',
              labels,
              points: referenceSeries(
                points.filter((p) => p.labels.host === labels.host),
                { from, to, step, aggregation },
              ),
            }))
            .filter((r) => r.points.length > 0);
          expect(results, `step ${step}, [${from - t}, ${to - t}), ${aggregation}`).toEqual(
            expected,
          );
        }
      }
    }
  });

  test('series: deleteBefore removes older points (and rollups) and counts the raw points', async () => {
    const { store, clock } = subject();
    const t = clock.now();
    const points = samplePoints('load', [{ host: 'a' }], t, 3 * HOUR, 360);
    await store.timeSeries.append(points);
    expect(await store.timeSeries.deleteBefore(t)).toBe(0);
    const cut = t + HOUR;
    expect(await store.timeSeries.deleteBefore(cut)).toBe(
      points.filter((p) => p.timestamp < cut).length,
    );
    let left = points.filter((p) => p.timestamp >= cut);
    for (const step of [1_000, MINUTE, HOUR]) {
      const answer = await store.timeSeries.query({
        metric: 'load',
        from: t,
        to: t + 4 * HOUR,
        step,
        aggregation: 'sum',
      });
      expect(answer[0]?.points, `step ${step}`).toEqual(
        referenceSeries(left, { from: t, to: t + 4 * HOUR, step, aggregation: 'sum' }),
      );
    }
    // A cut inside a minute: queries from the cut on still answer as the raw points do.
    const ragged = t + HOUR + 17 * MINUTE + 12_345;
    expect(await store.timeSeries.deleteBefore(ragged)).toBe(
      left.filter((p) => p.timestamp < ragged).length,
    );
    left = left.filter((p) => p.timestamp >= ragged);
    for (const step of [1_000, MINUTE, 10 * MINUTE, HOUR]) {
      for (const aggregation of AGGREGATIONS) {
        const query = { from: ragged, to: t + 4 * HOUR, step, aggregation };
        const answer = await store.timeSeries.query({ metric: 'load', ...query });
        expect(answer[0]?.points, `step ${step} ${aggregation}`).toEqual(
          referenceSeries(left, query),
        );
      }
    }
    expect(await store.timeSeries.deleteBefore(t + 10 * HOUR)).toBe(left.length);
    expect(
      await store.timeSeries.query({ metric: 'load', from: t, to: t + 4 * HOUR, step: MINUTE }),
    ).toEqual([]);
  });
}
