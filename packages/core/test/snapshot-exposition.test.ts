import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ExpositionFormat,
  Registry,
  type RegistrySnapshot,
  renderSnapshot,
  type SummarySnapshot,
} from '../src/index.js';
import { type ManualClock, manualClock } from '../src/testing/index.js';

const START = 1_700_000_000_123;
const FORMATS: ExpositionFormat[] = ['prometheus', 'openmetrics'];

/** Every metric type, labelled and not, with units, default labels and values of every sign. */
function fullRegistry(clock: ManualClock = manualClock(START)): Registry {
  const registry = new Registry({ clock, defaultLabels: { service: 'api', zone: 'eu-1' } });
  const requests = registry.counter({
    name: 'http_requests_total',
    help: 'HTTP requests served.',
    labelNames: ['method', 'code'],
  });
  requests.inc({ method: 'GET', code: '200' }, 3);
  clock.advance(1_500);
  requests.inc({ method: 'POST', code: '500' }, 0.5);
  requests.inc({ method: 'GET', code: '404' });
  registry.counter({ name: 'jobs_done', help: 'A counter without _total.' }).inc(1e21);
  registry
    .gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory.', unit: 'bytes' })
    .set(1_048_576);
  const temperature = registry.gauge({
    name: 'room_temperature_celsius',
    help: 'Temperatures.',
    labelNames: ['room'],
  });
  temperature.set({ room: 'a' }, -3.25);
  temperature.set({ room: 'b' }, Number.POSITIVE_INFINITY);
  temperature.set({ room: 'c' }, Number.NEGATIVE_INFINITY);
  temperature.set({ room: 'd' }, Number.NaN);
  temperature.set({ room: 'e' }, 1.5e-7);
  const latency = registry.histogram({
    name: 'http_request_duration_seconds',
    help: 'Latency.',
    unit: 'seconds',
    labelNames: ['method'],
    buckets: [0.1, 0.5, 1, 2.5, 10],
  });
  for (const value of [0.05, 0.3, 0.3, 1, 7, 42]) latency.observe({ method: 'GET' }, value);
  latency.observe({ method: 'PUT' }, -1);
  registry.histogram({ name: 'payload_bytes', help: 'Sizes.', buckets: [100, 1000] }).observe(250);
  const rpc = registry.summary({
    name: 'rpc_duration_seconds',
    help: 'RPC latency.',
    quantiles: [0.5, 0.9, 0.99, 1],
    labelNames: ['service_name'],
  });
  for (let i = 1; i <= 500; i++) rpc.observe({ service_name: 'users' }, i / 100);
  rpc.observe({ service_name: 'billing' }, -2);
  rpc.observe({ service_name: 'billing' }, 0);
  registry
    .summary({ name: 'batch_size', help: 'Batch sizes.', maxAge: false, quantiles: [0, 0.5] })
    .observe(12);
  clock.advance(250);
  return registry;
}

async function expectSame(registry: Registry): Promise<void> {
  await registry.collect();
  const snapshot = registry.snapshot();
  for (const format of FORMATS) {
    expect(renderSnapshot(snapshot, format)).toBe(await registry.metrics({ format }));
  }
  expect(renderSnapshot(snapshot)).toBe(await registry.metrics());
}

describe('renderSnapshot renders what registry.metrics() renders', () => {
  it('for every metric type, with default labels and units, in both formats', async () => {
    const registry = fullRegistry();
    await expectSame(registry);
    // A real assertion of content, so that two identical mistakes cannot pass.
    const text = renderSnapshot(registry.snapshot(), 'openmetrics');
    expect(text).toContain('# TYPE http_requests counter\n');
    expect(text).toContain(
      'http_requests_created{service="api",zone="eu-1",method="GET",code="200"} 1700000000.123\n',
    );
    expect(text).toContain('jobs_done_total{service="api",zone="eu-1"} 1e+21\n');
    expect(text).toContain('http_request_duration_seconds_bucket{service="api",zone="eu-1",');
    expect(text).toContain('le="1.0"} 4\n');
    expect(text).toContain('room_temperature_celsius{service="api",zone="eu-1",room="d"} NaN\n');
    expect(text.endsWith('# EOF\n')).toBe(true);
  });

  it('as the summary window slides, with the same clock', async () => {
    const clock = manualClock(START);
    const registry = fullRegistry(clock);
    clock.advance(5 * 60_000);
    registry
      .summary({
        name: 'rpc_duration_seconds',
        help: 'RPC latency.',
        quantiles: [0.5, 0.9, 0.99, 1],
        labelNames: ['service_name'],
      })
      .observe({ service_name: 'users' }, 99);
    await expectSame(registry);
    clock.advance(8 * 60_000);
    await expectSame(registry);
  });

  it('escapes help text and label values as exposition does', async () => {
    const registry = new Registry({
      clock: manualClock(START),
      defaultLabels: { host: 'pod-7 "blue"\\\n' },
    });
    const counter = registry.counter({
      name: 'events_total',
      help: 'Help with \\ backslash, "quotes" and a\nnewline.',
      labelNames: ['path'],
    });
    counter.inc({ path: 'C:\\temp\\"x"\nnext' });
    counter.inc({ path: 'ünïcödé ✓ {},=#' }, 2);
    registry
      .summary({ name: 'tricky_seconds', help: 'q\\"\n', labelNames: ['path'], quantiles: [0.5] })
      .observe({ path: '"\\' }, 1);
    await expectSame(registry);
    expect(renderSnapshot(registry.snapshot())).toContain('path="C:\\\\temp\\\\\\"x\\"\\nnext"');
  });

  it('for empty metrics and an empty registry', async () => {
    await expectSame(new Registry({ clock: manualClock(START) }));
    expect(renderSnapshot(new Registry().snapshot(), 'openmetrics')).toBe('# EOF\n');
    expect(renderSnapshot(new Registry().snapshot())).toBe('');
    const registry = new Registry({ clock: manualClock(START), defaultLabels: { app: 'x' } });
    registry.counter({ name: 'labelled_total', help: 'No series yet.', labelNames: ['a'] });
    registry.gauge({ name: 'untouched', help: 'Zero.' });
    registry.histogram({ name: 'empty_seconds', help: 'Nothing observed.', buckets: [1] });
    registry.summary({ name: 'empty_summary_seconds', help: 'Nothing observed.' });
    registry.summary({ name: 'labelled_summary', help: 'No series.', labelNames: ['a'] });
    await expectSame(registry);
    expect(renderSnapshot(registry.snapshot())).toContain(
      'empty_summary_seconds{app="x",quantile="0.5"} NaN\n',
    );
  });

  it('for the overflow series, a metric label shadowing a default label, and a prefix', async () => {
    const registry = new Registry({
      clock: manualClock(START),
      prefix: 'shop_',
      maxSeriesPerMetric: 2,
      defaultLabels: { region: 'eu', tier: 'web' },
    });
    const counter = registry.counter({
      name: 'orders_total',
      help: 'Orders.',
      labelNames: ['tier', 'kind'],
    });
    for (const kind of ['a', 'b', 'c', 'd']) counter.inc({ tier: 'db', kind });
    const histogram = registry.histogram({
      name: 'order_seconds',
      help: 'Order time.',
      labelNames: ['kind'],
      buckets: [1],
    });
    for (const kind of ['a', 'b', 'c']) histogram.observe({ kind }, 2);
    await expectSame(registry);
    expect(renderSnapshot(registry.snapshot())).toContain(
      'shop_orders_total{region="eu",vigil_overflow="true"} 2\n',
    );
  });

  it('with exemplars on counters and histogram buckets, also after a JSON round trip', async () => {
    const clock = manualClock(START);
    const registry = new Registry({ clock, defaultLabels: { service: 'api' } });
    const requests = registry.counter({
      name: 'http_requests_total',
      help: 'Requests.',
      labelNames: ['method'],
    });
    requests.inc({ method: 'GET' }, 2, { trace_id: 'abc', span_id: 'q"1' });
    requests.inc({ method: 'POST' });
    registry.counter({ name: 'jobs', help: 'Jobs.' }).inc(0.5, {});
    const latency = registry.histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['route'],
      buckets: [0.1, 1],
    });
    clock.advance(1_250);
    latency.observe({ route: '/' }, 0.5, { trace_id: 'h1' });
    latency.labels({ route: '/' }).observe(7, { trace_id: 'h2' });
    latency.observe({ route: '/x' }, 0.05);
    await expectSame(registry);
    const snapshot = registry.snapshot();
    const openMetrics = renderSnapshot(snapshot, 'openmetrics');
    expect(openMetrics).toContain(
      'http_requests_total{service="api",method="GET"} 2 # {trace_id="abc",span_id="q\\"1"} 2 1700000000.123\n',
    );
    expect(openMetrics).toContain('jobs_total{service="api"} 0.5 # {} 0.5 1700000000.123\n');
    expect(openMetrics).toContain(
      'latency_seconds_bucket{service="api",route="/",le="1.0"} 1 # {trace_id="h1"} 0.5 1700000001.373\n',
    );
    expect(openMetrics).toContain(
      'latency_seconds_bucket{service="api",route="/",le="+Inf"} 2 # {trace_id="h2"} 7 1700000001.373\n',
    );
    const histogram = snapshot.metrics.find((m) => m.name === 'latency_seconds');
    expect(histogram?.series.map((s) => 'exemplars' in s && s.exemplars)).toEqual([
      [
        null,
        { labels: { trace_id: 'h1' }, value: 0.5, timestamp: START + 1_250 },
        expect.anything(),
      ],
      false,
    ]);
    const revived = JSON.parse(JSON.stringify(snapshot)) as RegistrySnapshot;
    expect(renderSnapshot(revived, 'openmetrics')).toBe(openMetrics);
    expect(renderSnapshot(revived)).not.toContain('trace_id');
  });

  it('for the registry’s own counters', async () => {
    const registry = new Registry({ clock: manualClock(START) });
    registry.counter({ name: 'hits_total', help: 'Hits.' }).inc(-1);
    await expectSame(registry);
    expect(renderSnapshot(registry.snapshot())).toContain('vigil_invalid_observations_total');
  });
});

describe('renderSnapshot reads snapshots no registry holds', () => {
  it('renders a snapshot that went through JSON (NaN spelled null)', async () => {
    const registry = new Registry({ clock: manualClock(START) });
    registry.gauge({ name: 'ratio', help: 'Not a number.' }).set(Number.NaN);
    registry.summary({ name: 'idle_seconds', help: 'Empty.', quantiles: [0.5] });
    const parsed = JSON.parse(JSON.stringify(registry.snapshot())) as RegistrySnapshot;
    expect(renderSnapshot(parsed)).toBe(await registry.metrics());
  });

  it('computes quantiles from the sketch for a series without them', async () => {
    const registry = fullRegistry();
    const snapshot = registry.snapshot();
    const expected = renderSnapshot(snapshot, 'openmetrics');
    for (const metric of snapshot.metrics) {
      if (metric.type !== 'summary') continue;
      for (const series of metric.series) series.quantiles = [];
    }
    expect(renderSnapshot(snapshot, 'openmetrics')).toBe(expected);
  });

  it('renders a series quantiles as given when present', () => {
    const registry = new Registry({ clock: manualClock(START) });
    registry.summary({ name: 'q_seconds', help: 'Q.', quantiles: [0.5] }).observe(1);
    const snapshot = registry.snapshot();
    const summary = snapshot.metrics[0] as SummarySnapshot;
    (summary.series[0] as SummarySnapshot['series'][number]).quantiles = [0.125];
    expect(renderSnapshot(snapshot)).toContain('q_seconds{quantile="0.5"} 0.125\n');
  });

  it('throws INVALID_VALUE for a malformed sketch it has to read', () => {
    const registry = new Registry({ clock: manualClock(START) });
    registry.summary({ name: 'q_seconds', help: 'Q.', quantiles: [0.5] }).observe(1);
    const snapshot = registry.snapshot();
    const series = (snapshot.metrics[0] as SummarySnapshot)
      .series[0] as SummarySnapshot['series'][number];
    series.quantiles = [];
    series.sketch = { ...series.sketch, count: 7 };
    expect(() => renderSnapshot(snapshot)).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE' }),
    );
  });
});

describe('renderSnapshot agrees with exposition for any label values', () => {
  const value = fc.string({
    unit: fc.oneof(
      { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      { weight: 2, arbitrary: fc.constantFrom('\\', '"', '\n', '{', '}', ',', '=', ' ') },
    ),
    maxLength: 20,
  });
  it('byte for byte, both formats', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(value, value, fc.double({ min: 0, max: 1e9, noNaN: true })), {
          maxLength: 8,
        }),
        value,
        async (entries, host) => {
          const registry = new Registry({ clock: manualClock(START), defaultLabels: { host } });
          const counter = registry.counter({ name: 'c_total', help: 'C.', labelNames: ['a', 'b'] });
          const summary = registry.summary({ name: 's', help: 'S.', labelNames: ['a'] });
          for (const [a, b, amount] of entries) {
            counter.inc({ a, b }, amount);
            summary.observe({ a }, amount);
          }
          await expectSame(registry);
        },
      ),
      { numRuns: 50 },
    );
  });
});
