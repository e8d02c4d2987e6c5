import { describe, expect, it } from 'vitest';
import { type Aggregation, MemoryStore } from '../../src/index.js';
import { manualClock, referenceSeries, samplePoints } from '../../src/testing/index.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const AGGREGATIONS: Aggregation[] = ['avg', 'min', 'max', 'last', 'sum'];

describe('MemoryTimeSeries', () => {
  it('past maxPoints drops the oldest points of the whole store and counts them', async () => {
    const store = new MemoryStore({ maxPoints: 5, retention: false });
    await store.timeSeries.append([
      { metric: 'a', labels: {}, timestamp: 10, value: 1 },
      { metric: 'a', labels: {}, timestamp: 40, value: 4 },
      { metric: 'b', labels: { x: '1' }, timestamp: 20, value: 2 },
      { metric: 'b', labels: { x: '2' }, timestamp: 5, value: 0 },
    ]);
    await store.timeSeries.append([
      { metric: 'b', labels: { x: '1' }, timestamp: 30, value: 3 },
      { metric: 'a', labels: {}, timestamp: 50, value: 5 },
      { metric: 'a', labels: {}, timestamp: 60, value: 6 },
    ]);
    expect(store.stats()).toMatchObject({ points: 5, droppedPoints: 2, series: 2 });
    const query = { from: 0, to: 100, step: 1, aggregation: 'sum' as const };
    expect(await store.timeSeries.query({ metric: 'a', ...query })).toEqual([
      {
        metric: 'a',
        labels: {},
        points: [
          [40, 4],
          [50, 5],
          [60, 6],
        ],
      },
    ]);
    expect(await store.timeSeries.query({ metric: 'b', ...query })).toEqual([
      {
        metric: 'b',
        labels: { x: '1' },
        points: [
          [20, 2],
          [30, 3],
        ],
      },
    ]);
    await store.close();
  });

  it('keeps rollups equal to the raw points after cuts inside a minute, even for queries before the cut', async () => {
    const clock = manualClock();
    const store = new MemoryStore({ clock, retention: false, maxPoints: 2_000 });
    const t = clock.now();
    const points = samplePoints('m', [{ a: '1' }, { a: '2' }], t, 6 * HOUR, 1_200);
    await store.timeSeries.append(points);
    // maxPoints cut the oldest 400 (at a ragged time); then a ragged deleteBefore.
    expect(store.stats().droppedPoints).toBe(400);
    const cut = t + 2 * HOUR + 7 * MINUTE + 4_321;
    await store.timeSeries.deleteBefore(cut);
    const byTime = [...points].sort((x, y) => x.timestamp - y.timestamp);
    const left = byTime.slice(400).filter((p) => p.timestamp >= cut);
    for (const step of [MINUTE, 3 * MINUTE, HOUR]) {
      for (const aggregation of AGGREGATIONS) {
        const query = { from: t, to: t + 7 * HOUR, step, aggregation };
        const answer = await store.timeSeries.query({ metric: 'm', labels: { a: '1' }, ...query });
        expect(answer[0]?.points, `${step} ${aggregation}`).toEqual(
          referenceSeries(
            left.filter((p) => p.labels.a === '1'),
            query,
          ),
        );
      }
    }
    await store.close();
  });

  it('answers with copies: changing a result does not change the store', async () => {
    const store = new MemoryStore();
    await store.timeSeries.append([{ metric: 'm', labels: { a: '1' }, timestamp: 0, value: 1 }]);
    const [first] = await store.timeSeries.query({ metric: 'm', from: 0, to: 1, step: 1 });
    (first?.labels as Record<string, string>).a = 'changed';
    const [second] = await store.timeSeries.query({ metric: 'm', from: 0, to: 1, step: 1 });
    expect(second?.labels).toEqual({ a: '1' });
    await store.close();
  });

  it('deleteBefore refuses a non-number', async () => {
    const store = new MemoryStore();
    await expect(store.timeSeries.deleteBefore(Number.NaN)).rejects.toMatchObject({
      code: 'STORE_INVALID_ARGUMENT',
    });
    await store.close();
  });
});
