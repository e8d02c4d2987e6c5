import type { RangeQuery, SeriesPoint, SeriesResult, TimeSeriesStore } from '@vigil/storage';
import { ROLLUP_RESOLUTIONS, StoreError } from '@vigil/storage';
import {
  bucketStart,
  checkPoints,
  checkQuery,
  decodeJson,
  downsample,
  labelsSchema,
  matchesLabels,
  type RollupCell,
  rollupFor,
  seriesKey,
} from '@vigil/storage/adapter';
import type { RedisContext } from './redis-context.js';
import { runScript } from './redis-scripts.js';
import { decodeRawPoint, decodeRollupCell } from './series-codec.js';
import { toStoreError } from './to-store-error.js';

/** Points per append script: a larger batch is split into several atomic scripts. */
const POINTS_PER_SCRIPT = 10_000;
const [MINUTE, HOUR] = ROLLUP_RESOLUTIONS;

interface PendingSeries {
  readonly metric: string;
  readonly labels: string;
  readonly args: string[];
}

/**
 * `TimeSeriesStore` on Redis: a sorted set of raw points per series (score = timestamp), a sorted
 * set of rollup cells per series and resolution (score = bucket start), and per metric a sorted
 * set of its series. One Lua script appends a batch and folds it into both rollups, so the
 * rollups always aggregate exactly the raw points present; a query whose step is a multiple of
 * 60 s or 1 h reads rollup cells for the whole buckets and raw points only at ragged edges.
 */
export class RedisTimeSeries implements TimeSeriesStore {
  readonly #context: RedisContext;

  constructor(context: RedisContext) {
    this.#context = context;
  }

  async append(points: readonly SeriesPoint[]): Promise<void> {
    checkPoints(points);
    for (let start = 0; start < points.length; start += POINTS_PER_SCRIPT) {
      await this.#appendBatch(points.slice(start, start + POINTS_PER_SCRIPT));
    }
  }

  async query(query: RangeQuery): Promise<SeriesResult[]> {
    checkQuery(query);
    const { connection, keys } = this.#context;
    const { metric, from, to, step } = query;
    const what = `series of '${metric}'`;
    const aggregation = query.aggregation ?? 'avg';
    const resolution = rollupFor(step, ROLLUP_RESOLUTIONS);
    const members = await connection.run(`timeSeries.query('${metric}')`, (client) =>
      client.zrange(keys.seriesIndex(metric), 0, -1),
    );
    const selected: Array<{ labelsKey: string; labels: Record<string, string> }> = [];
    for (const labelsKey of members) {
      const labels = decodeJson(`labels of a ${what}`, labelsKey, labelsSchema);
      if (matchesLabels(labels, query.labels)) selected.push({ labelsKey, labels });
    }
    if (selected.length === 0) return [];
    // Whole rollup buckets inside [from, to); raw points for the ragged edges.
    let inner: [number, number] | undefined;
    if (resolution !== undefined) {
      const first = bucketStart(from, resolution);
      const innerFrom = first === from ? from : first + resolution;
      const innerTo = bucketStart(to, resolution);
      if (innerFrom < innerTo) inner = [innerFrom, innerTo];
    }
    const replies = await connection.run(`timeSeries.query('${metric}')`, (client) => {
      const transaction = client.multi();
      for (const { labelsKey } of selected) {
        const raw = keys.seriesRaw(metric, labelsKey);
        if (inner === undefined || resolution === undefined) {
          transaction.zrangebyscore(raw, from, `(${to}`);
        } else {
          transaction.zrangebyscore(raw, from, `(${inner[0]}`);
          transaction.zrangebyscore(
            keys.seriesRollup(resolution, metric, labelsKey),
            inner[0],
            `(${inner[1]}`,
          );
          transaction.zrangebyscore(raw, inner[1], `(${to}`);
        }
      }
      return transaction.exec();
    });
    const perSeries = inner === undefined ? 1 : 3;
    const results: SeriesResult[] = [];
    selected.forEach(({ labels }, i) => {
      const cells: Array<readonly [number, RollupCell]> = [];
      for (let part = 0; part < perSeries; part++) {
        const [error, reply] = replies?.[i * perSeries + part] ?? [null, []];
        if (error) throw toStoreError(`timeSeries.query('${metric}')`, error);
        const decode = perSeries === 3 && part === 1 ? decodeRollupCell : decodeRawPoint;
        for (const member of reply as string[]) cells.push(decode(what, member));
      }
      const points = downsample(cells, step, aggregation);
      if (points.length > 0) results.push({ metric, labels, points });
    });
    return results;
  }

  async deleteBefore(timestamp: number): Promise<number> {
    if (typeof timestamp !== 'number' || Number.isNaN(timestamp)) {
      throw new StoreError(
        'STORE_INVALID_ARGUMENT',
        `deleteBefore() takes ms since the epoch, got ${String(timestamp)}`,
      );
    }
    if (timestamp === Number.NEGATIVE_INFINITY) return 0;
    const { connection, keys } = this.#context;
    const args = trimArguments(timestamp);
    const metrics = await connection.run('timeSeries.deleteBefore()', (client) =>
      client.smembers(keys.seriesMetrics()),
    );
    let removed = 0;
    for (const metric of metrics) {
      const index = keys.seriesIndex(metric);
      const series = await connection.run('timeSeries.deleteBefore()', (client) =>
        client.zrange(index, 0, -1),
      );
      for (const labels of series) {
        const count = await connection.run('timeSeries.deleteBefore()', (client) =>
          runScript(
            client,
            'vigilSeriesTrim',
            [
              keys.seriesMetrics(),
              index,
              keys.seriesRaw(metric, labels),
              keys.seriesRollup(MINUTE, metric, labels),
              keys.seriesRollup(HOUR, metric, labels),
            ],
            [metric, labels, ...args],
          ),
        );
        removed += Number(count);
      }
    }
    return removed;
  }

  async #appendBatch(points: readonly SeriesPoint[]): Promise<void> {
    if (points.length === 0) return;
    const series = new Map<string, PendingSeries>();
    for (const point of points) {
      const labels = seriesKey(point.labels);
      const id = `${point.metric.length}:${point.metric}${labels}`;
      let pending = series.get(id);
      if (pending === undefined) {
        pending = { metric: point.metric, labels, args: [] };
        series.set(id, pending);
      }
      const { timestamp } = point;
      pending.args.push(
        String(timestamp),
        String(point.value),
        String(bucketStart(timestamp, MINUTE)),
        String(bucketStart(timestamp, HOUR)),
      );
    }
    const { connection, keys } = this.#context;
    const scriptKeys = [keys.seriesMetrics(), keys.seriesSequence()];
    const args = [String(points.length)];
    for (const { metric, labels, args: pointArgs } of series.values()) {
      scriptKeys.push(
        keys.seriesIndex(metric),
        keys.seriesRaw(metric, labels),
        keys.seriesRollup(MINUTE, metric, labels),
        keys.seriesRollup(HOUR, metric, labels),
      );
      args.push(metric, labels, String(pointArgs.length / 4), ...pointArgs);
    }
    await connection.run('timeSeries.append()', (client) =>
      runScript(client, 'vigilSeriesAppend', scriptKeys, args),
    );
  }
}

/** The trim script's bounds for a cut at `timestamp` (see `SERIES_TRIM`). */
function trimArguments(timestamp: number): string[] {
  if (timestamp === Number.POSITIVE_INFINITY) return ['+inf', '+inf', '', '', '+inf', '', ''];
  const args = [`(${timestamp}`];
  for (const resolution of [MINUTE, HOUR]) {
    const start = bucketStart(timestamp, resolution);
    args.push(`(${start}`);
    if (start < timestamp) args.push(String(start), String(start + resolution));
    else args.push('', '');
  }
  return args;
}
