import { Registry } from '@vigil/core';
import { type ManualClock, manualClock } from '@vigil/core/testing';
import { rejection } from '@vigil/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PushError } from '../src/errors.js';
import { RemoteWriter } from '../src/index.js';
import {
  type QueriedSample,
  type RemoteWritePrometheus,
  startRemoteWritePrometheus,
} from './support/prometheus-server.js';

let prometheus: RemoteWritePrometheus;
let clock: ManualClock;
let registry: Registry;
let run = 0;

beforeAll(async () => {
  prometheus = await startRemoteWritePrometheus();
});

afterAll(async () => {
  await prometheus?.close();
});

beforeEach(() => {
  // Real time as the start, so that the samples fall inside the fresh TSDB's head; then by hand.
  clock = manualClock(Date.now());
  registry = new Registry({ clock, defaultLabels: { service: 'checkout' } });
  run++;
});

/** `name{labels} value` lines, sorted, without the labels every series has. */
function lines(samples: QueriedSample[]): string[] {
  return samples
    .map(({ metric, value }) => {
      const { __name__, job, cluster, service, ...rest } = metric;
      const labels = Object.entries(rest)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      return `${__name__}{${labels}} ${value}`;
    })
    .sort();
}

function writer(options: { name?: string; clock?: ManualClock } = {}): RemoteWriter {
  return new RemoteWriter({
    url: prometheus.writeUrl,
    registry,
    clock: options.clock ?? clock,
    timers: options.clock ?? clock,
    autoStart: false,
    name: options.name ?? `run-${run}`,
    externalLabels: { cluster: 'test' },
    retries: { maxAttempts: 3 },
    onError: () => undefined,
  });
}

describe('remote write to a real Prometheus 2.42', () => {
  it('stores every series and value written: counter, gauge, histogram and summary', async () => {
    const prefix = `rw${run}_`;
    const requests = registry.counter({
      name: `${prefix}requests_total`,
      help: 'Requests',
      labelNames: ['method'],
    });
    requests.inc({ method: 'GET' }, 5);
    requests.inc({ method: 'POST' }, 2);
    registry.gauge({ name: `${prefix}temperature_celsius`, help: 'T', unit: 'celsius' }).set(-3.5);
    const latency = registry.histogram({
      name: `${prefix}latency_seconds`,
      help: 'Latency',
      buckets: [0.1, 0.5, 1],
    });
    for (const value of [0.05, 0.2, 0.3, 0.7, 2]) latency.observe(value);
    const summary = registry.summary({
      name: `${prefix}query_seconds`,
      help: 'Queries',
      quantiles: [0.5, 0.9],
    });
    for (let i = 1; i <= 100; i++) summary.observe(i);
    const snapshot = registry.snapshot();
    const summarySnapshot = snapshot.metrics.find((m) => m.type === 'summary');
    if (summarySnapshot?.type !== 'summary') throw new Error('expected the summary');
    const [p50, p90] = summarySnapshot.series[0]?.quantiles ?? [];

    const remote = writer();
    const { timestamp, samples } = await remote.write();

    const stored = await prometheus.query(`{__name__=~"${prefix}.*"}`, timestamp);
    expect(
      stored.every((s) => s.metric.cluster === 'test' && s.metric.service === 'checkout'),
    ).toBe(true);
    expect(lines(stored)).toEqual(
      [
        `${prefix}requests_total{method="GET"} 5`,
        `${prefix}requests_total{method="POST"} 2`,
        `${prefix}temperature_celsius{} -3.5`,
        `${prefix}latency_seconds_bucket{le="0.1"} 1`,
        `${prefix}latency_seconds_bucket{le="0.5"} 3`,
        `${prefix}latency_seconds_bucket{le="1"} 4`,
        `${prefix}latency_seconds_bucket{le="+Inf"} 5`,
        `${prefix}latency_seconds_sum{} 3.25`,
        `${prefix}latency_seconds_count{} 5`,
        `${prefix}query_seconds{quantile="0.5"} ${p50}`,
        `${prefix}query_seconds{quantile="0.9"} ${p90}`,
        `${prefix}query_seconds_sum{} 5050`,
        `${prefix}query_seconds_count{} 100`,
      ].sort(),
    );
    // Rank 2.5 of 5 falls in (0.1, 0.5], which holds ranks 2 and 3: 0.1 + 0.4 × 1.5 / 2.
    const [median] = await prometheus.query(
      `histogram_quantile(0.5, ${prefix}latency_seconds_bucket)`,
      timestamp,
    );
    expect(median?.value).toBeCloseTo(0.4, 12);

    // The writer's own metrics went along, one write behind.
    clock.advance(15_000);
    const second = await remote.write();
    const own = await prometheus.query(
      `vigil_remote_write_samples_total{remote="run-${run}"}`,
      second.timestamp,
    );
    expect(own.map((s) => s.value)).toEqual([samples]);
    await remote.close();
  });

  it('gets a 400 for out-of-order samples and does not send them again', async () => {
    const gauge = registry.gauge({ name: `rw${run}_queue_depth`, help: 'Depth' });
    gauge.set(10);
    const first = writer({ name: 'in-order' });
    const { timestamp } = await first.write();

    gauge.set(11);
    const lateClock = manualClock(timestamp - 60_000);
    const late = writer({ name: 'late', clock: lateClock });
    const error = await rejection(late.write());
    expect(error).toBeInstanceOf(PushError);
    expect(error).toMatchObject({ code: 'REMOTE_WRITE_FAILED', status: 400, retryable: false });
    expect((error as Error).message).toMatch(
      /failed: answered 400 Bad Request: .*out of order sample/,
    );
    // A retry would wait on the late writer's hand-moved clock: nothing is waiting.
    expect(lateClock.pendingTimers()).toBe(0);
    const retries = registry
      .snapshot()
      .metrics.find((m) => m.name === 'vigil_remote_write_retries_total');
    const lateRetries =
      retries?.type === 'counter'
        ? retries.series.find((s) => s.labels.remote === 'late')
        : undefined;
    expect(lateRetries?.value).toBe(0);

    const stored = await prometheus.query(`rw${run}_queue_depth`, timestamp);
    expect(stored.map((s) => s.value)).toEqual([10]);
    await first.close();
    await late.close();
  });
});
