import { execFileSync } from 'node:child_process';
import {
  AggregationType,
  type Histogram,
  MeterProvider,
  MetricReader,
  type ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { type BackgroundErrorContext, type HistogramSeriesSnapshot, Registry } from '@vigil/core';
import { caught, parseExposition } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import {
  OtelMetricConflictError,
  OtelUnsupportedMetricError,
  VigilMetricReader,
  type VigilMetricReaderOptions,
} from '../src/index.js';

interface Failure {
  error: unknown;
  context: BackgroundErrorContext;
}

function bridge(options: Partial<VigilMetricReaderOptions> = {}, views: ViewOptions[] = []) {
  const registry = options.registry ?? new Registry();
  const failures: Failure[] = [];
  const reader = new VigilMetricReader({
    registry,
    onError: (error, context) => failures.push({ error, context }),
    ...options,
  });
  const provider = new MeterProvider({ readers: [reader], views });
  const meter = provider.getMeter('test-scope', '1.0.0');
  return { registry, reader, provider, meter, failures };
}

async function samples(registry: Registry, family: string) {
  const parsed = parseExposition(await registry.metrics());
  return Object.fromEntries(
    (parsed.families.find((f) => f.name === family)?.samples ?? []).map((s) => [
      key(s.name, s.labels),
      s.value,
    ]),
  );
}

/** A reader that only collects when asked: the SDK's own view of the recordings. */
class ReferenceReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function promtool(text: string): string {
  return execFileSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
}

const SCOPE = { otel_scope_name: 'test-scope', otel_scope_version: '1.0.0' };
/** `name{…}` with the labels sorted (`le` last), to compare label sets in any order. */
function key(name: string, labels: Record<string, string>): string {
  const { le, ...rest } = labels;
  const sorted = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
  return `${name}${JSON.stringify(le === undefined ? sorted : { ...sorted, le })}`;
}

describe('VigilMetricReader options', () => {
  it('are checked at construction', () => {
    const registry = new Registry();
    const make = (options: unknown) => () =>
      new VigilMetricReader(options as VigilMetricReaderOptions);
    expect(caught(make(undefined))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(caught(make({}))).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('registry is required'),
    });
    expect(caught(make({ registry, scopeLabel: true }))).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining("unknown option 'scopeLabel'"),
    });
    expect(caught(make({ registry, targetInfo: 'yes' }))).toMatchObject({
      code: 'INVALID_OPTION',
    });
    expect(caught(make({ registry, collectTimeout: 0 }))).toMatchObject({
      code: 'INVALID_DURATION',
    });
    expect(caught(make({ registry, onError: 'log' }))).toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('refuses a second reader on one registry', () => {
    const registry = new Registry();
    new VigilMetricReader({ registry });
    expect(caught(() => new VigilMetricReader({ registry }))).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('one VigilMetricReader per registry'),
    });
  });
});

describe('VigilMetricReader', () => {
  it('serves counters with _total, gauges, up-down counters and histograms on /metrics', async () => {
    const { registry, meter } = bridge();
    meter.createCounter('orders.placed', { description: 'Orders' }).add(3, { region: 'eu' });
    meter.createUpDownCounter('pool.in_use').add(4);
    meter.createGauge('cpu.temperature').record(61.5, { core: 0 });
    const latency = meter.createHistogram('db.query.duration', {
      advice: { explicitBucketBoundaries: [1, 10, 100] },
    });
    for (const ms of [0.5, 3, 7, 40, 400]) latency.record(ms, { 'db.system': 'postgresql' });

    expect(await samples(registry, 'orders_placed_total')).toEqual({
      [key('orders_placed_total', { region: 'eu', ...SCOPE })]: 3,
    });
    expect(await samples(registry, 'pool_in_use')).toEqual({ [key('pool_in_use', SCOPE)]: 4 });
    expect(await samples(registry, 'cpu_temperature')).toEqual({
      [key('cpu_temperature', { core: '0', ...SCOPE })]: 61.5,
    });
    const labels = { db_system: 'postgresql', ...SCOPE };
    expect(await samples(registry, 'db_query_duration')).toEqual({
      [key('db_query_duration_bucket', { ...labels, le: '1' })]: 1,
      [key('db_query_duration_bucket', { ...labels, le: '10' })]: 3,
      [key('db_query_duration_bucket', { ...labels, le: '100' })]: 4,
      [key('db_query_duration_bucket', { ...labels, le: '+Inf' })]: 5,
      [key('db_query_duration_sum', labels)]: 450.5,
      [key('db_query_duration_count', labels)]: 5,
    });
  });

  it('serves the SDK’s totals at each scrape: counters, up-down sums, histograms', async () => {
    const { registry, meter } = bridge({ scopeLabels: false });
    const orders = meter.createCounter('orders');
    const pool = meter.createUpDownCounter('pool');
    const sizes = meter.createHistogram('size', { advice: { explicitBucketBoundaries: [10] } });
    orders.add(2);
    pool.add(5);
    sizes.record(4);
    await registry.metrics();
    orders.add(1);
    pool.add(-2);
    sizes.record(25);
    sizes.record(8);
    expect(await samples(registry, 'orders_total')).toEqual({ 'orders_total{}': 3 });
    expect(await samples(registry, 'pool')).toEqual({ 'pool{}': 3 });
    expect(await samples(registry, 'size')).toEqual({
      'size_bucket{"le":"10"}': 2,
      'size_bucket{"le":"+Inf"}': 3,
      'size_sum{}': 37,
      'size_count{}': 3,
    });
  });

  it('serves a new attribute appearing between scrapes as a label of the new series only', async () => {
    const { registry, meter } = bridge({ scopeLabels: false });
    const orders = meter.createCounter('orders');
    const sizes = meter.createHistogram('size', { advice: { explicitBucketBoundaries: [10] } });
    orders.add(2, { region: 'eu' });
    sizes.record(4, { region: 'eu' });
    expect(await samples(registry, 'orders_total')).toEqual({ 'orders_total{"region":"eu"}': 2 });
    orders.add(5, { region: 'us', tier: 'gold' });
    orders.add(1, { region: 'eu' });
    sizes.record(40, { region: 'us', tier: 'gold' });
    const text = await registry.metrics();
    expect(text).toContain('orders_total{region="eu"} 3\n');
    expect(text).toContain('orders_total{region="us",tier="gold"} 5\n');
    expect(text).toContain('size_count{region="eu"} 1\n');
    expect(text).toContain('size_bucket{region="us",tier="gold",le="+Inf"} 1\n');
    expect(() => promtool(text)).not.toThrow();
    const listed = registry.snapshot().metrics.find((m) => m.name === 'orders_total');
    expect(listed?.labelNames).toEqual(['region', 'tier']);
    expect(listed?.series.map((s) => s.labels)).toEqual([
      { region: 'eu' },
      { region: 'us', tier: 'gold' },
    ]);
  });

  it('serves every histogram’s bucket counts, sum and count exactly as the SDK has them, for random data', async () => {
    const next = random(42);
    for (let run = 0; run < 60; run++) {
      const { registry, meter, provider } = bridge({ scopeLabels: false, targetInfo: false });
      const reference = new ReferenceReader();
      // A second reader on the same MeterProvider sees the same recordings.
      const both = new MeterProvider({ readers: [reference] });
      const bounds = [
        ...new Set(
          Array.from({ length: Math.floor(next() * 9) }, () => Math.round(next() * 2000) / 10 - 50),
        ),
      ].sort((a, b) => a - b);
      const ours = meter.createHistogram('h', { advice: { explicitBucketBoundaries: bounds } });
      const theirs = both
        .getMeter('test-scope', '1.0.0')
        .createHistogram('h', { advice: { explicitBucketBoundaries: bounds } });
      for (let scrape = 0; scrape < 3; scrape++) {
        for (let k = Math.floor(next() * 200); k > 0; k--) {
          // Values on a bound, and far outside the bounds, too.
          const value =
            next() < 0.2 && bounds.length > 0
              ? (bounds[Math.floor(next() * bounds.length)] as number)
              : next() * 400 - 100;
          const attributes = { shard: String(Math.floor(next() * 3)) };
          ours.record(value, attributes);
          theirs.record(value, attributes);
        }
        await registry.collect();
        const family = registry.snapshot().metrics.find((m) => m.name === 'h');
        const { resourceMetrics } = await reference.collect();
        const points = resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints ?? [];
        const expected = points.map((point) => {
          const value = point.value as Histogram;
          const { shard } = point.attributes as { shard: string };
          return {
            labels: { shard },
            counts: value.buckets.counts,
            sum: value.sum,
            count: value.count,
          };
        });
        if (family === undefined) {
          expect(expected).toEqual([]);
          continue;
        }
        expect(family).toMatchObject({ type: 'histogram', bounds });
        const served = (family.series as HistogramSeriesSnapshot[]).map(
          ({ labels, counts, sum, count }) => ({ labels, counts, sum, count }),
        );
        expect(served).toEqual(expected);
      }
      await Promise.all([provider.shutdown(), both.shutdown()]);
    }
  });

  it('serves a histogram without bounds, and folds infinite bounds into +Inf', async () => {
    const { registry, meter } = bridge({ scopeLabels: false }, [
      {
        instrumentName: 'wide',
        aggregation: {
          type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
          options: { boundaries: [1, Number.POSITIVE_INFINITY] },
        },
      },
    ]);
    const one = meter.createHistogram('one', { advice: { explicitBucketBoundaries: [] } });
    const wide = meter.createHistogram('wide');
    for (const value of [0.5, 3]) {
      one.record(value);
      wide.record(value);
    }
    expect(await samples(registry, 'one')).toEqual({
      'one_bucket{"le":"+Inf"}': 2,
      'one_sum{}': 3.5,
      'one_count{}': 2,
    });
    expect(await samples(registry, 'wide')).toEqual({
      'wide_bucket{"le":"1"}': 1,
      'wide_bucket{"le":"+Inf"}': 2,
      'wide_sum{}': 3.5,
      'wide_count{}': 2,
    });
  });

  it('dates counters and histograms from the SDK’s start time (OpenMetrics _created)', async () => {
    const { registry, meter } = bridge({ scopeLabels: false, targetInfo: false });
    const before = Date.now();
    meter.createCounter('orders').add(1);
    meter.createHistogram('size').record(1);
    await registry.collect();
    const created = registry
      .snapshot()
      .metrics.map((metric) => (metric.series[0] as { created: number }).created);
    expect(created).toHaveLength(2);
    for (const time of created) {
      expect(time).toBeGreaterThanOrEqual(before - 1);
      expect(time).toBeLessThanOrEqual(Date.now());
    }
    const open = await registry.metrics({ format: 'openmetrics' });
    expect(open).toContain(`orders_created ${(created[0] as number) / 1000}\n`);
  });

  it('serves the resource as target_info, unless told not to', async () => {
    const { registry } = bridge();
    const targetInfo = await samples(registry, 'target_info');
    expect(Object.values(targetInfo)).toEqual([1]);
    expect(Object.keys(targetInfo)[0]).toContain('"telemetry_sdk_language":"nodejs"');
    const without = bridge({ targetInfo: false });
    expect(await samples(without.registry, 'target_info')).toEqual({});
  });

  it('leaves out a family named like a Vigil metric: the registry reports METRIC_CONFLICT', async () => {
    const registryFailures: Failure[] = [];
    const registry = new Registry({
      onError: (error, context) => registryFailures.push({ error, context }),
    });
    const own = registry.counter({ name: 'orders_total', help: 'Vigil orders' });
    own.inc(7);
    const { meter, failures } = bridge({ registry });
    meter.createCounter('orders').add(1);
    meter.createCounter('refunds').add(2);
    const text = await registry.metrics();
    expect(await samples(registry, 'orders_total')).toEqual({ 'orders_total{}': 7 });
    expect(text.match(/# TYPE orders_total/g)).toHaveLength(1);
    expect(text).toContain('refunds_total{otel_scope_name="test-scope"');
    expect(registryFailures[0]?.error).toMatchObject({
      code: 'METRIC_CONFLICT',
      message: expect.stringContaining("'orders_total'"),
    });
    expect(registryFailures[0]?.context).toEqual({
      source: 'Registry',
      operation: 'collector opentelemetry',
    });
    expect(failures).toEqual([]);
  });

  it('makes one family of one name from several scopes, and refuses another type (OTEL_METRIC_CONFLICT, once)', async () => {
    const { registry, provider, failures } = bridge();
    provider.getMeter('a').createCounter('jobs').add(1);
    provider.getMeter('b').createCounter('jobs').add(2);
    provider.getMeter('c').createUpDownCounter('jobs_total').add(5);
    provider
      .getMeter('a')
      .createHistogram('wait', { advice: { explicitBucketBoundaries: [1] } })
      .record(1);
    provider
      .getMeter('b')
      .createHistogram('wait', { advice: { explicitBucketBoundaries: [2] } })
      .record(1);
    await registry.metrics();
    expect(await samples(registry, 'jobs_total')).toEqual({
      [key('jobs_total', { otel_scope_name: 'a' })]: 1,
      [key('jobs_total', { otel_scope_name: 'b' })]: 2,
    });
    expect(Object.keys(await samples(registry, 'wait'))).toContain(
      key('wait_count', { otel_scope_name: 'a' }),
    );
    expect(failures.map(({ error }) => error)).toEqual([
      expect.any(OtelMetricConflictError),
      expect.any(OtelMetricConflictError),
    ]);
    expect(
      failures.map(({ error, context }) => [
        (error as OtelMetricConflictError).metric,
        context.operation,
      ]),
    ).toEqual([
      ['wait', 'metric wait'],
      ['jobs_total', 'metric jobs_total'],
    ]);
    expect(failures[0]?.error).toMatchObject({
      message: expect.stringContaining('with other buckets'),
    });
    expect(failures[1]?.error).toMatchObject({
      message: expect.stringContaining(
        "OpenTelemetry metric 'jobs_total', a gauge, would be served as 'jobs_total', which OpenTelemetry metric 'jobs', a counter",
      ),
    });
    await registry.metrics();
    expect(failures).toHaveLength(2);
  });

  it('adds up the series two scopes give one label set when scope labels are off (a gauge: the last)', async () => {
    const { registry, provider } = bridge({ scopeLabels: false, targetInfo: false });
    provider.getMeter('a').createCounter('jobs').add(1, { queue: 'q' });
    provider.getMeter('b').createCounter('jobs').add(2, { queue: 'q' });
    provider.getMeter('b').createCounter('jobs').add(4, { queue: 'r' });
    provider.getMeter('a').createUpDownCounter('busy').add(1);
    provider.getMeter('b').createUpDownCounter('busy').add(2);
    provider.getMeter('a').createGauge('temperature').record(20);
    provider.getMeter('b').createGauge('temperature').record(25);
    for (const scope of ['a', 'b']) {
      provider
        .getMeter(scope)
        .createHistogram('wait', { advice: { explicitBucketBoundaries: [1] } })
        .record(scope === 'a' ? 0.5 : 3);
    }
    const text = await registry.metrics();
    expect(text).toContain('jobs_total{queue="q"} 3\njobs_total{queue="r"} 4\n');
    expect(text).toContain('busy 3\n');
    expect(text).toContain('temperature 25\n');
    expect(text).toContain('wait_bucket{le="1"} 1\nwait_bucket{le="+Inf"} 2\nwait_sum 3.5\n');
    expect(() => promtool(text)).not.toThrow();
  });

  it('puts the registry’s prefix in front of OpenTelemetry names (not target_info)', async () => {
    const { registry, meter } = bridge({ registry: new Registry({ prefix: 'app_' }) });
    meter.createCounter('orders').add(1);
    const names = parseExposition(await registry.metrics()).families.map((f) => f.name);
    expect(names).toEqual(['target_info', 'app_orders_total']);
  });

  it('makes the registry’s series limit the SDK’s cardinality limit', async () => {
    const { registry, meter } = bridge({
      registry: new Registry({ maxSeriesPerMetric: 3 }),
      scopeLabels: false,
    });
    const orders = meter.createCounter('orders');
    for (let i = 0; i < 10; i++) orders.add(1, { id: String(i) });
    const served = await samples(registry, 'orders_total');
    expect(Object.keys(served).length).toBeLessThanOrEqual(3);
    expect(served[key('orders_total', { otel_metric_overflow: 'true' })]).toBeGreaterThan(0);
    expect(Object.values(served).reduce((sum, value) => sum + value, 0)).toBe(10);
  });

  it('reports an exponential histogram as OTEL_UNSUPPORTED_METRIC and serves the rest', async () => {
    const { registry, meter, failures } = bridge({}, [
      {
        instrumentName: 'latency',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
      },
    ]);
    meter.createHistogram('latency').record(3);
    meter.createCounter('ok').add(1);
    const text = await registry.metrics();
    expect(text).toContain('ok_total{');
    expect(text).not.toContain('latency');
    expect(failures.map((f) => f.error)).toEqual([expect.any(OtelUnsupportedMetricError)]);
    expect(failures[0]?.error).toMatchObject({ code: 'OTEL_UNSUPPORTED_METRIC' });
  });

  it('reports a failed collection and still renders the registry', async () => {
    const registry = new Registry();
    const failures: Failure[] = [];
    // Never added to a MeterProvider: the SDK refuses to collect.
    new VigilMetricReader({
      registry,
      onError: (error, context) => failures.push({ error, context }),
    });
    registry.counter({ name: 'own_total', help: 'Own' }).inc();
    expect(await registry.metrics()).toContain('own_total 1');
    expect(failures[0]?.context.operation).toBe('collect');
  });

  it('stops collecting at shutdown, keeping the last values', async () => {
    const { registry, meter, provider } = bridge({ scopeLabels: false });
    const orders = meter.createCounter('orders');
    orders.add(2);
    await registry.metrics();
    await provider.shutdown();
    orders.add(5);
    expect(await samples(registry, 'orders_total')).toEqual({ 'orders_total{}': 2 });
  });

  it('shares one collection between concurrent scrapes', async () => {
    const { registry, meter } = bridge({ scopeLabels: false });
    meter.createCounter('orders').add(2);
    let callbacks = 0;
    meter.createObservableGauge('observed').addCallback((result) => {
      callbacks++;
      result.observe(1);
    });
    const [a, b] = await Promise.all([registry.metrics(), registry.metrics()]);
    expect(a).toContain('orders_total 2');
    expect(b).toContain('orders_total 2');
    expect(callbacks).toBe(1);
    expect(await samples(registry, 'orders_total')).toEqual({ 'orders_total{}': 2 });
  });

  it('answers a collection asked for while one is under way with a new one, run after it', async () => {
    const { registry, meter } = bridge({ scopeLabels: false, targetInfo: false });
    const orders = meter.createCounter('orders');
    let callbacks = 0;
    meter.createObservableGauge('observed').addCallback((result) => {
      callbacks++;
      result.observe(1);
    });
    orders.add(1);
    registry.snapshot(); // starts a collection it does not wait for
    await Promise.resolve();
    orders.add(1);
    await registry.collect();
    expect(callbacks).toBe(2);
    const served = registry.snapshot().metrics.find((m) => m.name === 'orders_total');
    expect(served?.series).toEqual([{ labels: {}, value: 2, created: expect.any(Number) }]);
  });
});
