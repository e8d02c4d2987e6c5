import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';

// The same code against prom-client 15.1.3 itself and against this package's build: what a
// Prometheus server (or a test that compares text) reads must be the same, byte for byte.
const require = createRequire(import.meta.url);
type PromClient = typeof import('prom-client');
const original = require('prom-client') as PromClient;
const facade = require('../dist/index.cjs') as PromClient;

async function both(scenario: (client: PromClient) => Promise<string>): Promise<[string, string]> {
  return [await scenario(original), await scenario(facade)];
}

/** A registry of the OpenMetrics content type. */
function openMetricsRegistry(client: PromClient): InstanceType<PromClient['Registry']> {
  // prom-client's index.d.ts declares no constructor argument; its code takes the content type.
  const Registry = client.Registry as new (type: string) => InstanceType<PromClient['Registry']>;
  return new Registry(client.openMetricsContentType);
}

describe('the exposition is the one prom-client writes', () => {
  it('counters, gauges and histograms with labels, default labels and odd values', async () => {
    const [expected, actual] = await both(async (client) => {
      const registry = new client.Registry();
      registry.setDefaultLabels({ service: 'api' });
      const requests = new client.Counter({
        name: 'http_requests_total',
        help: 'Requests "served"\nwith a \\ backslash.',
        labelNames: ['method', 'status'] as const,
        registers: [registry],
      });
      requests.inc({ method: 'GET', status: '200' });
      requests.inc({ method: 'GET', status: '200' }, 2.5);
      requests.labels('POST', '500').inc();
      requests.inc({ method: 'PUT' }); // a partial label set, as prom-client accepts
      requests.inc({ method: 'a "quoted"\nvalue\\', status: 404 });
      const depth = new client.Gauge({
        name: 'queue_depth',
        help: 'Depth.',
        registers: [registry],
      });
      depth.set(Number.NaN);
      const temps = new client.Gauge({
        name: 'temperature',
        help: 'T.',
        labelNames: ['room'],
        registers: [registry],
      });
      temps.set({ room: 'a' }, Number.POSITIVE_INFINITY);
      temps.set({ room: 'b' }, Number.NEGATIVE_INFINITY);
      temps.set({ room: 'c' }, 1e21);
      temps.set({ room: 'd' }, 1e-7);
      const latency = new client.Histogram({
        name: 'latency_seconds',
        help: 'Latency.',
        labelNames: ['route'],
        buckets: client.linearBuckets(0.1, 0.1, 3),
        registers: [registry],
      });
      latency.observe({ route: '/' }, 0.15);
      latency.observe({ route: '/' }, 7);
      latency.labels('/users').observe(0.1);
      latency.zero({ route: '/zero' });
      const jobs = new client.Histogram({
        name: 'jobs_seconds',
        help: 'Jobs.',
        registers: [registry],
      });
      jobs.observe(0.003);
      return registry.metrics();
    });
    expect(actual).toBe(expected);
  });

  it('series in creation order, each with the label order of the object that created it', async () => {
    const [expected, actual] = await both(async (client) => {
      const registry = new client.Registry();
      registry.setDefaultLabels({ pod: 'p' });
      const counter = new client.Counter({
        name: 'k_total',
        help: 'k',
        labelNames: ['method', 'status'],
        registers: [registry],
      });
      counter.inc({ method: 'b', status: 'x' });
      counter.inc({ status: '200', method: 'a' });
      counter.inc({ method: 'b', status: 'z' });
      counter.inc({ status: 'only' });
      counter.labels('a', 'y').inc();
      counter.inc({ method: 'b', status: 'x' });
      counter.remove({ method: 'b', status: 'z' });
      counter.inc({ status: 'z', method: 'b' });
      const histogram = new client.Histogram({
        name: 'h',
        help: 'h',
        labelNames: ['a', 'b'],
        buckets: [1],
        registers: [registry],
      });
      histogram.observe({ b: '2', a: '1' }, 0.5);
      histogram.observe({ a: '0', b: '9' }, 3);
      const summary = new client.Summary({
        name: 's',
        help: 's',
        labelNames: ['a', 'b'],
        percentiles: [0.5],
        registers: [registry],
      });
      summary.observe({ b: '2', a: '1' }, 4);
      summary.observe({ a: '0' }, 4);
      const gauge = new client.Gauge({
        name: 'g',
        help: 'g',
        labelNames: ['a', 'b'],
        registers: [registry],
      });
      gauge.set({ b: '1' }, 1);
      gauge.inc({ b: '0', a: '0' });
      gauge.labels({ b: '5', a: '5' }).dec();
      return `${await registry.metrics()}${JSON.stringify(await registry.getMetricsAsJSON())}`;
    });
    expect(actual).toBe(expected);
  });

  it('an OpenMetrics registry: counters lose `_total` in their family name, no _created', async () => {
    const [expected, actual] = await both(async (client) => {
      const registry = openMetricsRegistry(client);
      const counter = new client.Counter({
        name: 'events_total',
        help: 'Events.',
        labelNames: ['kind'],
        registers: [registry],
      });
      counter.inc({ kind: 'a' }, 3);
      const gauge = new client.Gauge({ name: 'up', help: 'Up.', registers: [registry] });
      gauge.set(1);
      const summary = new client.Summary({
        name: 'size_bytes',
        help: 'Sizes.',
        percentiles: [0.5, 0.9],
        registers: [registry],
      });
      for (let i = 0; i < 10; i++) summary.observe(512);
      return registry.metrics();
    });
    expect(actual).toBe(expected);
  });

  it('exemplars follow their series through remove(), zero() and re-recording', async () => {
    // Exemplars carry Date.now(): the same time in both. prom-client's types give exemplar labels
    // the metric's label names; OpenMetrics takes any, such as a trace id.
    const trace = (id: string) => ({ trace_id: id }) as never;
    vi.useFakeTimers({ toFake: ['Date'], now: 1_700_000_000_000 });
    try {
      const [expected, actual] = await both(async (client) => {
        const registry = openMetricsRegistry(client);
        const counter = new client.Counter({
          name: 'hits_total',
          help: 'Hits.',
          labelNames: ['route', 'code'],
          enableExemplars: true,
          registers: [registry],
        });
        counter.inc({ labels: { route: '/a', code: '200' }, value: 2, exemplarLabels: trace('1') });
        counter.inc({ labels: { code: '500', route: '/b' }, exemplarLabels: trace('2') });
        counter.inc({ labels: { route: '/a' }, exemplarLabels: trace('3') });
        counter.remove({ route: '/a', code: '200' });
        counter.inc({ labels: { code: '200', route: '/a' }, exemplarLabels: trace('4') });
        const histogram = new client.Histogram({
          name: 'latency_seconds',
          help: 'Latency.',
          labelNames: ['route'],
          buckets: [0.1, 1],
          enableExemplars: true,
          registers: [registry],
        });
        histogram.observe({ labels: { route: '/a' }, value: 0.05, exemplarLabels: trace('5') });
        histogram.observe({ labels: { route: '/b' }, value: 5, exemplarLabels: trace('6') });
        histogram.zero({ route: '/a' });
        histogram.observe({ labels: { route: '/a' }, value: 0.5, exemplarLabels: trace('7') });
        histogram.remove({ route: '/b' });
        histogram.observe({ labels: { route: '/b' }, value: 0.01 });
        return `${await registry.metrics()}${JSON.stringify(await registry.getMetricsAsJSON())}`;
      });
      expect(actual).toBe(expected);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reset() leaves what prom-client leaves, per type', async () => {
    const [expected, actual] = await both(async (client) => {
      const registry = new client.Registry();
      const counter = new client.Counter({ name: 'c', help: 'c', registers: [registry] });
      const labelled = new client.Gauge({
        name: 'g',
        help: 'g',
        labelNames: ['x'],
        registers: [registry],
      });
      const histogram = new client.Histogram({
        name: 'h',
        help: 'h',
        buckets: [1],
        registers: [registry],
      });
      const summary = new client.Summary({
        name: 's',
        help: 's',
        labelNames: ['x'],
        percentiles: [0.5],
        registers: [registry],
      });
      counter.inc(5);
      labelled.set({ x: 'a' }, 1);
      histogram.observe(0.5);
      summary.observe({ x: 'a' }, 1);
      registry.resetMetrics();
      return registry.metrics();
    });
    expect(actual).toBe(expected);
  });

  it('getMetricsAsJSON answers the same objects, default labels included', async () => {
    const [expected, actual] = await both(async (client) => {
      const registry = new client.Registry();
      registry.setDefaultLabels({ env: 'test' });
      const counter = new client.Counter({
        name: 'c_total',
        help: 'c',
        labelNames: ['a', 'b'],
        registers: [registry],
      });
      counter.inc({ a: '1', b: '2' });
      counter.inc({ b: 'only' });
      const histogram = new client.Histogram({
        name: 'h',
        help: 'h',
        labelNames: ['a'],
        buckets: [1, 2],
        registers: [registry],
      });
      histogram.observe({ a: 'x' }, 1.5);
      return JSON.stringify(await registry.getMetricsAsJSON());
    });
    expect(JSON.parse(actual)).toEqual(JSON.parse(expected));
  });

  it('a custom { name, get() } collector renders as prom-client renders it', async () => {
    const [expected, actual] = await both(async (client) => {
      const registry = new client.Registry();
      registry.registerMetric({
        name: 'custom_thing',
        get: async () => ({
          name: 'custom_thing',
          help: 'A custom collector.',
          type: 'gauge',
          values: [
            { value: 1, labels: { shard: 'a' } },
            { value: 2, labels: { shard: 'b' } },
          ],
          aggregator: 'sum',
        }),
      } as never);
      return registry.metrics();
    });
    expect(actual).toBe(expected);
  });

  it('throws what prom-client throws, with its messages and classes', () => {
    const cases: [string, (client: PromClient) => unknown][] = [
      ['no config', (c) => new c.Counter(undefined as never)],
      ['no help', (c) => new c.Counter({ name: 'x' } as never)],
      ['bad name', (c) => new c.Gauge({ name: 'x-y', help: 'h', registers: [] })],
      [
        'bad label',
        (c) => new c.Gauge({ name: 'x', help: 'h', labelNames: ['a-b'], registers: [] }),
      ],
      ['le', (c) => new c.Histogram({ name: 'x', help: 'h', labelNames: ['le'], registers: [] })],
      [
        'quantile',
        (c) => new c.Summary({ name: 'x', help: 'h', labelNames: ['quantile'], registers: [] }),
      ],
      ['decrease', (c) => new c.Counter({ name: 'x', help: 'h', registers: [] }).inc(-1)],
      [
        'unknown label',
        (c) =>
          new c.Counter({ name: 'x', help: 'h', labelNames: ['a'], registers: [] }).inc({
            b: '1',
          } as never),
      ],
      [
        'positional count',
        (c) =>
          new c.Gauge({ name: 'x', help: 'h', labelNames: ['a', 'b'], registers: [] }).labels('1'),
      ],
      [
        'not a number',
        (c) => new c.Histogram({ name: 'x', help: 'h', registers: [] }).observe('1' as never),
      ],
      [
        'duplicate',
        (c) => {
          const registry = new c.Registry();
          new c.Counter({ name: 'x', help: 'h', registers: [registry] });
          new c.Counter({ name: 'x', help: 'h', registers: [registry] });
        },
      ],
      ['content type', (c) => new (c.Registry as new (type: string) => unknown)('text/html')],
      ['buckets', (c) => c.exponentialBuckets(0, 2, 3)],
    ];
    for (const [name, run] of cases) {
      const thrown = [original, facade].map((client) => {
        try {
          run(client);
          return 'nothing';
        } catch (error) {
          return `${(error as Error).constructor.name}: ${(error as Error).message}`;
        }
      });
      expect(thrown[1], name).toBe(thrown[0]);
    }
  });
});
