import { describe, expect, it } from 'vitest';
import * as facade from '../src/index.js';
import {
  AggregatorRegistry,
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type LabelValues,
  type OpenMetricsContentType,
  Pushgateway,
  Registry,
  register,
  Summary,
} from '../src/index.js';

// `tsc --noEmit` (the package's typecheck, which includes test/) proves these: code written
// against prom-client's types compiles against the facade's, and the facade's objects can be
// passed where prom-client 15.1.3's own declarations (its index.d.ts) are expected. (Functions
// that take a registry, such as collectDefaultMetrics, are left out of the second check: a
// prom-client Registry is not a facade Registry, whose state is private.)
type P = typeof import('prom-client');
type Instance<K extends 'Counter' | 'Gauge' | 'Histogram' | 'Summary' | 'Registry'> = InstanceType<
  P[K]
>;
const asPromClient: {
  register: Instance<'Registry'>;
  counter: Instance<'Counter'>;
  gauge: Instance<'Gauge'>;
  histogram: Instance<'Histogram'>;
  summary: Instance<'Summary'>;
  linearBuckets: P['linearBuckets'];
  exponentialBuckets: P['exponentialBuckets'];
  validateMetricName: P['validateMetricName'];
  contentType: P['contentType'];
  prometheusContentType: P['prometheusContentType'];
  openMetricsContentType: P['openMetricsContentType'];
} = {
  register: facade.register,
  counter: new Counter({ name: 'x', help: 'x', registers: [] }),
  gauge: new Gauge({ name: 'x', help: 'x', registers: [] }),
  histogram: new Histogram({ name: 'x', help: 'x', registers: [] }),
  summary: new Summary({ name: 'x', help: 'x', registers: [] }),
  linearBuckets: facade.linearBuckets,
  exponentialBuckets: facade.exponentialBuckets,
  validateMetricName: facade.validateMetricName,
  contentType: facade.contentType,
  prometheusContentType: facade.prometheusContentType,
  openMetricsContentType: facade.openMetricsContentType,
};

describe('types', () => {
  it('code written against prom-client compiles and runs', async () => {
    const registry = new Registry<OpenMetricsContentType>(Registry.OPENMETRICS_CONTENT_TYPE);
    const requests = new Counter({
      name: 'requests_total',
      help: 'Requests.',
      labelNames: ['method', 'status'] as const,
      registers: [registry],
      enableExemplars: true,
    });
    // prom-client types exemplar labels as the metric's own label names.
    requests.inc({ labels: { method: 'GET' }, value: 1, exemplarLabels: { method: 'abc' } });
    const labels: LabelValues<'route'> = { route: '/' };
    const latency = new Histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['route'],
      registers: [],
    });
    const end = latency.startTimer(labels);
    end();
    const child: Histogram.Internal<'route'> = latency.labels('/x');
    child.observe(0.2);
    const counterChild: Counter.Internal = new Counter({
      name: 'c',
      help: 'c',
      registers: [],
    }).labels();
    counterChild.inc();
    const gaugeChild: Gauge.Internal<'q'> = new Gauge({
      name: 'g',
      help: 'g',
      labelNames: ['q'],
      registers: [],
    }).labels('a');
    gaugeChild.set(1);
    const summaryChild: Summary.Internal<string> = new Summary({
      name: 's',
      help: 's',
      registers: [],
    }).labels();
    summaryChild.observe(1);
    const parameters: Pushgateway.Parameters = { jobName: 'batch', groupings: { instance: 'a' } };
    const config: Histogram.Config & Summary.Config = { buckets: [1], percentiles: [0.5] };
    expect([parameters.jobName, config.buckets]).toEqual(['batch', [1]]);
    const depth = new Gauge({
      name: 'depth',
      help: 'Depth.',
      registers: [],
      collect() {
        this.set(3);
      },
    });
    const sizes = new Summary({ name: 'sizes', help: 'Sizes.', percentiles: [0.5], registers: [] });
    sizes.observe(1);
    const same: Gauge<string> | undefined = register.getSingleMetric('nothing') as
      | Gauge
      | undefined;
    collectDefaultMetrics({ register: new Registry(), prefix: 'app_', labels: { pod: 'a' } });
    const gateway = new Pushgateway('http://127.0.0.1:9091', { timeout: 1000 }, new Registry());
    const aggregated = AggregatorRegistry.aggregate([await registry.getMetricsAsJSON()]);
    expect(same).toBeUndefined();
    expect(typeof gateway.pushAdd).toBe('function');
    expect((await depth.get()).values[0]?.value).toBe(3);
    expect(await aggregated.metrics()).toContain('requests_total{method="GET"} 1');
    expect(asPromClient.register).toBe(register);
  });
});
