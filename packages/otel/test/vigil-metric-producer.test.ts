import { DataPointType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { Registry } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import {
  RESOURCE_ATTRIBUTE_NAMES,
  resourceAttributesOf,
  VigilMetricProducer,
  type VigilMetricProducerOptions,
  VigilMetricReader,
} from '../src/index.js';

describe('VigilMetricProducer options', () => {
  it('are checked at construction', () => {
    const registry = new Registry();
    const make = (options: unknown) => () =>
      new VigilMetricProducer(options as VigilMetricProducerOptions);
    expect(caught(make(undefined))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(caught(make({ registry: {} }))).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('registry should be a Registry'),
    });
    expect(caught(make({ registry, defaultLabels: 'labels' }))).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('defaultLabels should be one of "attributes", "resource"'),
    });
    expect(caught(make({ registry, scope: 'x' }))).toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining("unknown option 'scope'"),
    });
    expect(caught(make({ registry, scopeName: '' }))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(caught(make({ registry, clock: {} }))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(caught(make({ registry, shipBridged: 1 }))).toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('resource attributes from default labels', () => {
  it('maps service and job to service.name, instance to service.instance.id, keeps the rest', () => {
    expect(resourceAttributesOf({ service: 'api', instance: 'a:1', team: 'core' })).toEqual({
      'service.name': 'api',
      'service.instance.id': 'a:1',
      team: 'core',
    });
    expect(resourceAttributesOf({ job: 'batch' })).toEqual({ 'service.name': 'batch' });
    expect(resourceAttributesOf({ service: 'api', job: 'batch' })).toEqual({
      'service.name': 'api',
    });
    expect(RESOURCE_ATTRIBUTE_NAMES['instance']).toBe('service.instance.id');
  });
});

describe('VigilMetricProducer.collect()', () => {
  it('answers a whole ResourceMetrics on its own, resource from the default labels', async () => {
    const clock = manualClock();
    const registry = new Registry({ clock, defaultLabels: { service: 'api' } });
    registry.gauge({ name: 'temperature_celsius', help: 'T', unit: 'celsius' }).set(21);
    const producer = new VigilMetricProducer({ registry, clock, scopeName: 'billing' });
    clock.advance(1_000);
    const { resourceMetrics, errors } = await producer.collect();
    expect(errors).toEqual([]);
    expect(resourceMetrics.resource.attributes).toEqual({ 'service.name': 'api' });
    expect(resourceMetrics.resource.merge(null).attributes).toEqual({ 'service.name': 'api' });
    const [scopeMetrics] = resourceMetrics.scopeMetrics;
    expect(scopeMetrics?.scope).toEqual({ name: 'billing' });
    const [gauge] = scopeMetrics?.metrics ?? [];
    expect(gauge).toMatchObject({
      descriptor: { name: 'temperature_celsius', unit: 'Cel', description: 'T' },
      dataPointType: DataPointType.GAUGE,
    });
    const point = gauge?.dataPoints[0];
    expect(point?.attributes).toEqual({ service: 'api' });
    // A gauge has no creation time: it starts when the producer was made.
    expect(point?.startTime).toEqual([Math.floor(clock.now() / 1000) - 1, 0]);
    expect(point?.endTime).toEqual([Math.floor(clock.now() / 1000), 0]);
  });

  it("with defaultLabels 'resource', leaves default labels off the points but a metric's own", async () => {
    const registry = new Registry({ defaultLabels: { service: 'api', region: 'eu' } });
    registry.counter({ name: 'a_total', help: 'A' }).inc();
    registry.counter({ name: 'b_total', help: 'B', labelNames: ['region'] }).inc({ region: 'us' });
    const producer = new VigilMetricProducer({ registry, defaultLabels: 'resource' });
    const { resourceMetrics } = await producer.collect();
    const [a, b] = resourceMetrics.scopeMetrics[0]?.metrics ?? [];
    expect(a?.dataPoints[0]?.attributes).toEqual({});
    expect(b?.dataPoints[0]?.attributes).toEqual({ region: 'us' });
  });

  it('waits for async collect callbacks', async () => {
    const registry = new Registry();
    registry.gauge({
      name: 'queue_depth',
      help: 'Q',
      collect: async (gauge) => {
        await new Promise((resolve) => setImmediate(resolve));
        gauge.set(9);
      },
    });
    const { resourceMetrics } = await new VigilMetricProducer({ registry }).collect();
    expect(resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints[0]?.value).toBe(9);
  });

  it('answers a failure in errors instead of throwing', async () => {
    const registry = new Registry();
    // `defaultLabels` is a getter of Registry: an own property shadows it.
    const base = Object.create(registry, { defaultLabels: { value: {} } }) as Registry;
    const broken = Object.assign(base, {
      snapshot: () => {
        throw new Error('snapshot failed');
      },
      collect: async () => {},
    });
    const result = await new VigilMetricProducer({ registry: broken }).collect();
    expect(result.errors).toEqual([new Error('snapshot failed')]);
    expect(result.resourceMetrics.scopeMetrics).toEqual([]);
  });

  it('ships an empty summary sketch without min and max', async () => {
    const registry = new Registry();
    registry.summary({ name: 'q_seconds', help: 'Q', labelNames: ['x'] }).labels({ x: '1' });
    const { resourceMetrics } = await new VigilMetricProducer({ registry }).collect();
    const point = resourceMetrics.scopeMetrics[0]?.metrics[0]?.dataPoints[0];
    expect(point?.value).toEqual({
      count: 0,
      sum: 0,
      scale: expect.any(Number),
      zeroCount: 0,
      positive: { offset: 0, bucketCounts: [] },
      negative: { offset: 0, bucketCounts: [] },
    });
  });

  it('leaves out the families a VigilMetricReader serves, unless shipBridged', async () => {
    const registry = new Registry({ onError: () => {} });
    registry.counter({ name: 'own_total', help: 'Own' }).inc();
    registry.counter({ name: 'clash_total', help: 'Vigil clash' }).inc(7);
    const provider = new MeterProvider({ readers: [new VigilMetricReader({ registry })] });
    registry.addCollector({
      name: 'other',
      collect: () => [
        {
          name: 'other_total',
          help: 'Another collector',
          type: 'counter',
          labelNames: [],
          series: [{ labels: {}, value: 1, created: 0 }],
        },
      ],
    });
    provider.getMeter('m').createCounter('otel.requests').add(1);
    // Served as clash_total, which the Vigil counter holds: the registry leaves it out.
    provider.getMeter('m').createCounter('clash').add(1);
    await registry.metrics();
    const shipped = async (shipBridged: boolean) =>
      (await new VigilMetricProducer({ registry, shipBridged }).collect()).resourceMetrics
        .scopeMetrics[0]?.metrics ?? [];
    const names = async (shipBridged: boolean) =>
      (await shipped(shipBridged)).map((metric) => metric.descriptor.name);
    expect(await names(false)).toEqual(['own_total', 'clash_total', 'other_total']);
    expect(await names(true)).toEqual([
      'own_total',
      'clash_total',
      'target_info',
      'otel_requests_total',
      'other_total',
    ]);
    const clash = (await shipped(false)).find((metric) => metric.descriptor.name === 'clash_total');
    expect(clash?.dataPoints[0]?.value).toBe(7);
    await provider.shutdown();
  });
});
