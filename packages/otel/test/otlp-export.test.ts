import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { type MetricSnapshot, Registry, type RegistrySnapshot } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type DefaultLabelsPlacement, VigilMetricProducer } from '../src/index.js';
import {
  type ExportRequest,
  type OtlpReceiver,
  otlpGrpcReceiver,
  otlpHttpReceiver,
} from './support/otlp-receiver.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0, 123);

/** A registry with one metric of each type, recorded at known times. */
function recordedRegistry() {
  const clock = manualClock(START);
  const registry = new Registry({
    clock,
    defaultLabels: { service: 'checkout', instance: 'pod-7', region: 'eu-west' },
  });
  const requests = registry.counter({
    name: 'http_requests_total',
    help: 'Requests served',
    labelNames: ['method', 'status'],
  });
  requests.inc({ method: 'GET', status: '200' }, 41);
  clock.advance(250);
  requests.inc({ method: 'POST', status: '500' }, 2);
  registry
    .gauge({ name: 'queue_depth', help: 'Jobs waiting', labelNames: ['queue'] })
    .set({ queue: 'mail' }, 17.5);
  const latency = registry.histogram({
    name: 'job_duration_seconds',
    help: 'Job durations',
    unit: 'seconds',
    labelNames: ['job'],
    buckets: [0.1, 0.5, 1, 5],
  });
  for (const seconds of [0.05, 0.3, 0.7, 0.9, 3, 12]) latency.observe({ job: 'report' }, seconds);
  clock.advance(1_000);
  const query = registry.summary({
    name: 'query_seconds',
    help: 'Query times',
    quantiles: [0.5, 0.99],
    maxAge: false,
  });
  for (const seconds of [0, 0.004, 0.02, 0.021, 0.3, 1.7, -0.5]) query.observe(seconds);
  clock.advance(5_000);
  return { registry, clock };
}

const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

interface Exported {
  request: ExportRequest;
  snapshot: RegistrySnapshot;
}

const receivers: OtlpReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

/** Ships the registry once through `exporter` (built for `receiver`) with a MeterProvider. */
async function exportOnce(
  makeReceiver: () => Promise<OtlpReceiver>,
  makeExporter: (url: string) => PushMetricExporter,
  defaultLabels: DefaultLabelsPlacement,
): Promise<Exported> {
  const receiver = await makeReceiver();
  receivers.push(receiver);
  const { registry } = recordedRegistry();
  const producer = new VigilMetricProducer({ registry, defaultLabels, scopeVersion: '9.9.9' });
  const reader = new PeriodicExportingMetricReader({
    exporter: makeExporter(receiver.url),
    exportIntervalMillis: 60_000,
    metricProducers: [producer],
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes(producer.resourceAttributes),
    readers: [reader],
  });
  // Shutting down collects and exports once more: the one export of this test.
  await provider.shutdown();
  expect(receiver.requests).toHaveLength(1);
  return { request: receiver.requests[0], snapshot: registry.snapshot() };
}

function attributes(list: { key: string; value: { stringValue: string } }[] = []) {
  return Object.fromEntries(list.map(({ key, value }) => [key, value.stringValue]));
}

/** Every data point of the export checked against the registry's own snapshot. */
function expectEveryPoint({ request, snapshot }: Exported, placement: DefaultLabelsPlacement) {
  expect(request.resourceMetrics).toHaveLength(1);
  const [resourceMetrics] = request.resourceMetrics;
  expect(attributes(resourceMetrics.resource.attributes)).toEqual({
    'service.name': 'checkout',
    'service.instance.id': 'pod-7',
    region: 'eu-west',
  });
  expect(resourceMetrics.scopeMetrics).toHaveLength(1);
  const [{ scope, metrics }] = resourceMetrics.scopeMetrics;
  expect(scope).toMatchObject({ name: '@vigil/otel', version: '9.9.9' });
  const byName = new Map(metrics.map((metric: { name: string }) => [metric.name, metric]));
  const defaults = placement === 'attributes' ? snapshotDefaults : {};
  expect([...byName.keys()].sort()).toEqual(snapshot.metrics.map((m) => m.name).sort());
  for (const metric of snapshot.metrics) {
    const exported = byName.get(metric.name) as ExportRequest;
    expect(exported.description).toBe(metric.help);
    expectPoints(metric, exported, snapshot.timestamp, defaults);
  }
}

const snapshotDefaults = { service: 'checkout', instance: 'pod-7', region: 'eu-west' };

function withoutDefaults(labels: Record<string, string>, kept: Record<string, string>) {
  const own = Object.fromEntries(
    Object.entries(labels).filter(([name]) => !(name in snapshotDefaults)),
  );
  return { ...kept, ...own };
}

function expectPoints(
  metric: MetricSnapshot,
  exported: ExportRequest,
  timestamp: number,
  defaults: Record<string, string>,
) {
  const end = nanos(timestamp);
  switch (metric.type) {
    case 'counter': {
      expect(exported.sum.isMonotonic).toBe(true);
      expect(exported.sum.aggregationTemporality).toBe(2); // CUMULATIVE
      const points = exported.sum.dataPoints;
      expect(points).toHaveLength(metric.series.length);
      metric.series.forEach((series, i) => {
        expect(attributes(points[i].attributes)).toEqual(withoutDefaults(series.labels, defaults));
        expect(points[i].asDouble).toBe(series.value);
        expect(points[i].startTimeUnixNano).toBe(nanos(series.created));
        expect(points[i].timeUnixNano).toBe(end);
      });
      return;
    }
    case 'gauge': {
      const points = exported.gauge.dataPoints;
      expect(points).toHaveLength(metric.series.length);
      metric.series.forEach((series, i) => {
        expect(attributes(points[i].attributes)).toEqual(withoutDefaults(series.labels, defaults));
        expect(points[i].asDouble).toBe(series.value);
        expect(points[i].timeUnixNano).toBe(end);
      });
      return;
    }
    case 'histogram': {
      expect(exported.histogram.aggregationTemporality).toBe(2);
      const points = exported.histogram.dataPoints;
      expect(points).toHaveLength(metric.series.length);
      metric.series.forEach((series, i) => {
        expect(attributes(points[i].attributes)).toEqual(withoutDefaults(series.labels, defaults));
        expect(points[i].explicitBounds).toEqual(metric.bounds);
        expect(points[i].bucketCounts).toEqual(series.counts.map(String));
        expect(points[i].count).toBe(String(series.count));
        expect(points[i].sum).toBe(series.sum);
        expect(points[i].startTimeUnixNano).toBe(nanos(series.created));
      });
      return;
    }
    case 'summary': {
      expect(exported.exponentialHistogram.aggregationTemporality).toBe(2);
      const points = exported.exponentialHistogram.dataPoints;
      expect(points).toHaveLength(metric.series.length);
      metric.series.forEach((series, i) => {
        const { sketch } = series;
        const point = points[i];
        expect(attributes(point.attributes)).toEqual(withoutDefaults(series.labels, defaults));
        expect(point.scale).toBe(sketch.scale);
        expect(point.zeroCount).toBe(String(sketch.zeroCount));
        expect(point.positive.offset).toBe(sketch.positive.offset);
        expect(point.positive.bucketCounts).toEqual(sketch.positive.counts.map(String));
        expect(point.negative.offset).toBe(sketch.negative.offset);
        expect(point.negative.bucketCounts).toEqual(sketch.negative.counts.map(String));
        expect(point.count).toBe(String(sketch.count));
        expect(point.sum).toBe(sketch.sum);
        expect([point.min, point.max]).toEqual([sketch.min, sketch.max]);
        expect(point.startTimeUnixNano).toBe(nanos(series.created));
      });
      return;
    }
  }
}

describe('Vigil → OTLP through the official exporters', () => {
  it('HTTP/protobuf: every counter, gauge, histogram and summary point arrives as recorded', async () => {
    const exported = await exportOnce(
      otlpHttpReceiver,
      (url) => new ProtoExporter({ url }),
      'attributes',
    );
    expectEveryPoint(exported, 'attributes');
    expect(receivers[0]?.contentTypes).toEqual(['application/x-protobuf']);
  });

  it('HTTP/JSON: the same points, default labels moved to the resource', async () => {
    const exported = await exportOnce(
      otlpHttpReceiver,
      (url) => new JsonExporter({ url }),
      'resource',
    );
    expectEveryPoint(exported, 'resource');
    expect(receivers[0]?.contentTypes).toEqual(['application/json']);
  });

  it('gRPC on loopback: the same points', async () => {
    const exported = await exportOnce(
      otlpGrpcReceiver,
      (url) => new GrpcExporter({ url }),
      'attributes',
    );
    expectEveryPoint(exported, 'attributes');
    expect(receivers[0]?.contentTypes[0]).toMatch(/^application\/grpc/);
  });

  it('keeps each series start time from its creation, and units in UCUM', async () => {
    const { request } = await exportOnce(
      otlpHttpReceiver,
      (url) => new ProtoExporter({ url }),
      'attributes',
    );
    const metrics = request.resourceMetrics[0].scopeMetrics[0].metrics;
    const requests = metrics.find((m: { name: string }) => m.name === 'http_requests_total');
    const starts = requests.sum.dataPoints.map(
      (p: { startTimeUnixNano: string }) => p.startTimeUnixNano,
    );
    expect(starts).toEqual([nanos(START), nanos(START + 250)]);
    const latency = metrics.find((m: { name: string }) => m.name === 'job_duration_seconds');
    expect(latency.unit).toBe('s');
  });
});
