import { AggregationType, MeterProvider, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { type BackgroundErrorContext, Registry } from '@vigil/core';
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

  it('adds what happened between scrapes, and sets gauges and up-down sums', async () => {
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

  it('keeps its series when a new attribute appears', async () => {
    const { registry, meter } = bridge({ scopeLabels: false });
    const orders = meter.createCounter('orders');
    const sizes = meter.createHistogram('size', { advice: { explicitBucketBoundaries: [10] } });
    orders.add(2, { region: 'eu' });
    sizes.record(4, { region: 'eu' });
    await registry.metrics();
    orders.add(5, { region: 'us', tier: 'gold' });
    sizes.record(40, { region: 'us', tier: 'gold' });
    expect(await samples(registry, 'orders_total')).toEqual({
      'orders_total{"region":"eu","tier":""}': 2,
      'orders_total{"region":"us","tier":"gold"}': 5,
    });
    const size = await samples(registry, 'size');
    expect(size['size_count{"region":"eu","tier":""}']).toBe(1);
    expect(size['size_sum{"region":"eu","tier":""}']).toBe(4);
    expect(size['size_bucket{"region":"us","tier":"gold","le":"+Inf"}']).toBe(1);
  });

  it('serves the resource as target_info, unless told not to', async () => {
    const { registry } = bridge();
    const targetInfo = await samples(registry, 'target_info');
    expect(Object.values(targetInfo)).toEqual([1]);
    expect(Object.keys(targetInfo)[0]).toContain('"telemetry_sdk_language":"nodejs"');
    const without = bridge({ targetInfo: false });
    expect(await samples(without.registry, 'target_info')).toEqual({});
  });

  it('leaves a Vigil metric of the same name alone, reporting OTEL_METRIC_CONFLICT once', async () => {
    const registry = new Registry();
    const own = registry.counter({ name: 'orders_total', help: 'Vigil orders' });
    own.inc(7);
    const { meter, failures } = bridge({ registry });
    meter.createCounter('orders').add(1);
    await registry.metrics();
    await registry.metrics();
    expect(await samples(registry, 'orders_total')).toEqual({ 'orders_total{}': 7 });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.error).toBeInstanceOf(OtelMetricConflictError);
    expect(failures[0]?.error).toMatchObject({
      code: 'OTEL_METRIC_CONFLICT',
      metric: 'orders_total',
    });
    expect(failures[0]?.context).toEqual({
      source: 'VigilMetricReader',
      operation: 'metric orders_total',
    });
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
    const [a, b] = await Promise.all([registry.metrics(), registry.metrics()]);
    expect(a).toContain('orders_total 2');
    expect(b).toContain('orders_total 2');
    expect(await samples(registry, 'orders_total')).toEqual({ 'orders_total{}': 2 });
  });
});
