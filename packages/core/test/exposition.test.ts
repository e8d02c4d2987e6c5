import { parseExposition } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { manualClock } from '../src/testing/index.js';

const START = 1_700_000_000_000;

function fullRegistry(): Registry {
  const registry = new Registry({ clock: manualClock(START), defaultLabels: { service: 'api' } });
  registry
    .counter({
      name: 'http_requests_total',
      help: 'HTTP requests served.',
      labelNames: ['method', 'code'],
    })
    .inc({ method: 'GET', code: '200' }, 3);
  registry
    .gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory.', unit: 'bytes' })
    .set(1_048_576);
  const latency = registry.histogram({
    name: 'http_request_duration_seconds',
    help: 'Latency.',
    unit: 'seconds',
    labelNames: ['method'],
    buckets: [0.1, 0.5],
  });
  latency.observe({ method: 'GET' }, 0.05);
  latency.observe({ method: 'GET' }, 0.3, { trace_id: 'abc' });
  registry
    .summary({ name: 'rpc_duration_seconds', help: 'RPC latency.', quantiles: [0.5, 0.9] })
    .observe(0.25);
  return registry;
}

describe('the Prometheus text format 0.0.4', () => {
  it('renders all four types exactly', async () => {
    expect(await fullRegistry().metrics()).toBe(
      [
        '# HELP http_requests_total HTTP requests served.',
        '# TYPE http_requests_total counter',
        'http_requests_total{service="api",method="GET",code="200"} 3',
        '# HELP process_resident_memory_bytes Resident memory.',
        '# TYPE process_resident_memory_bytes gauge',
        'process_resident_memory_bytes{service="api"} 1048576',
        '# HELP http_request_duration_seconds Latency.',
        '# TYPE http_request_duration_seconds histogram',
        'http_request_duration_seconds_bucket{service="api",method="GET",le="0.1"} 1',
        'http_request_duration_seconds_bucket{service="api",method="GET",le="0.5"} 2',
        'http_request_duration_seconds_bucket{service="api",method="GET",le="+Inf"} 2',
        'http_request_duration_seconds_sum{service="api",method="GET"} 0.35',
        'http_request_duration_seconds_count{service="api",method="GET"} 2',
        '# HELP rpc_duration_seconds RPC latency.',
        '# TYPE rpc_duration_seconds summary',
        'rpc_duration_seconds{service="api",quantile="0.5"} 0.25',
        'rpc_duration_seconds{service="api",quantile="0.9"} 0.25',
        'rpc_duration_seconds_sum{service="api"} 0.25',
        'rpc_duration_seconds_count{service="api"} 1',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslash and newline in HELP, but not the double quote', async () => {
    const registry = new Registry();
    registry.gauge({ name: 'g', help: 'Line one\nsays "hi" in C:\\temp' });
    expect(await registry.metrics()).toContain('# HELP g Line one\\nsays "hi" in C:\\\\temp\n');
  });

  it('escapes backslash, double quote and newline in label values', async () => {
    const registry = new Registry({ defaultLabels: { host: 'a"b' } });
    registry
      .gauge({ name: 'g', help: 'G.', labelNames: ['path'] })
      .set({ path: 'C:\\dir\n"quoted"' }, 1);
    expect(await registry.metrics()).toContain(
      'g{host="a\\"b",path="C:\\\\dir\\n\\"quoted\\""} 1\n',
    );
  });

  it('leaves other characters, unicode included, as they are', async () => {
    const registry = new Registry();
    registry
      .gauge({ name: 'g', help: 'Grüße 👋 {tab\t}', labelNames: ['city'] })
      .set({ city: 'Zürich 🏔 ,={}' }, 1);
    const text = await registry.metrics();
    expect(text).toContain('# HELP g Grüße 👋 {tab\t}\n');
    expect(text).toContain('g{city="Zürich 🏔 ,={}"} 1\n');
  });

  it('spells numbers as Prometheus does: +Inf, -Inf, NaN, exponents', async () => {
    const registry = new Registry();
    const gauge = registry.gauge({ name: 'g', help: 'G.', labelNames: ['case'] });
    gauge.set({ case: 'nan' }, Number.NaN);
    gauge.set({ case: 'inf' }, Number.POSITIVE_INFINITY);
    gauge.set({ case: 'ninf' }, Number.NEGATIVE_INFINITY);
    gauge.set({ case: 'big' }, 1e21);
    gauge.set({ case: 'small' }, 1e-7);
    gauge.set({ case: 'negative' }, -2.5);
    gauge.set({ case: 'integer' }, 123_456_789_012);
    gauge.set({ case: 'zero' }, -0);
    expect(await registry.metrics()).toBe(
      [
        '# HELP g G.',
        '# TYPE g gauge',
        'g{case="nan"} NaN',
        'g{case="inf"} +Inf',
        'g{case="ninf"} -Inf',
        'g{case="big"} 1e+21',
        'g{case="small"} 1e-7',
        'g{case="negative"} -2.5',
        'g{case="integer"} 123456789012',
        'g{case="zero"} 0',
        '',
      ].join('\n'),
    );
  });

  it('has no # UNIT, _created or # EOF lines', async () => {
    const text = await fullRegistry().metrics();
    expect(text).not.toContain('# UNIT');
    expect(text).not.toContain('_created');
    expect(text).not.toContain('# EOF');
  });

  it('keeps a counter’s name as the family name, with or without _total', async () => {
    const registry = new Registry();
    registry.counter({ name: 'requests', help: 'Requests.' }).inc();
    expect(await registry.metrics()).toBe(
      '# HELP requests Requests.\n# TYPE requests counter\nrequests 1\n',
    );
  });
});

describe('OpenMetrics 1.0', () => {
  it('renders all four types exactly, ending with # EOF', async () => {
    expect(await fullRegistry().metrics({ format: 'openmetrics' })).toBe(
      [
        '# HELP http_requests HTTP requests served.',
        '# TYPE http_requests counter',
        'http_requests_total{service="api",method="GET",code="200"} 3',
        'http_requests_created{service="api",method="GET",code="200"} 1700000000',
        '# HELP process_resident_memory_bytes Resident memory.',
        '# TYPE process_resident_memory_bytes gauge',
        '# UNIT process_resident_memory_bytes bytes',
        'process_resident_memory_bytes{service="api"} 1048576',
        '# HELP http_request_duration_seconds Latency.',
        '# TYPE http_request_duration_seconds histogram',
        '# UNIT http_request_duration_seconds seconds',
        'http_request_duration_seconds_bucket{service="api",method="GET",le="0.1"} 1',
        'http_request_duration_seconds_bucket{service="api",method="GET",le="0.5"} 2 # {trace_id="abc"} 0.3 1700000000',
        'http_request_duration_seconds_bucket{service="api",method="GET",le="+Inf"} 2',
        'http_request_duration_seconds_sum{service="api",method="GET"} 0.35',
        'http_request_duration_seconds_count{service="api",method="GET"} 2',
        'http_request_duration_seconds_created{service="api",method="GET"} 1700000000',
        '# HELP rpc_duration_seconds RPC latency.',
        '# TYPE rpc_duration_seconds summary',
        'rpc_duration_seconds{service="api",quantile="0.5"} 0.25',
        'rpc_duration_seconds{service="api",quantile="0.9"} 0.25',
        'rpc_duration_seconds_sum{service="api"} 0.25',
        'rpc_duration_seconds_count{service="api"} 1',
        'rpc_duration_seconds_created{service="api"} 1700000000',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslash, newline and double quote in HELP', async () => {
    const registry = new Registry();
    registry.gauge({ name: 'g', help: 'Line one\nsays "hi" in C:\\temp' });
    expect(await registry.metrics({ format: 'openmetrics' })).toContain(
      '# HELP g Line one\\nsays \\"hi\\" in C:\\\\temp\n',
    );
  });

  it('escapes label values as the Prometheus format does', async () => {
    const registry = new Registry();
    registry
      .gauge({ name: 'g', help: 'G.', labelNames: ['path'] })
      .set({ path: 'C:\\dir\n"q"' }, 1);
    expect(await registry.metrics({ format: 'openmetrics' })).toContain(
      'g{path="C:\\\\dir\\n\\"q\\""} 1\n',
    );
  });

  it('names a counter family without _total and its samples _total and _created', async () => {
    const registry = new Registry({ clock: manualClock(START + 1_500) });
    registry.counter({ name: 'jobs_total', help: 'Jobs.' }).inc(2);
    registry.counter({ name: 'retries', help: 'Retries.' }).inc();
    expect(await registry.metrics({ format: 'openmetrics' })).toBe(
      [
        '# HELP jobs Jobs.',
        '# TYPE jobs counter',
        'jobs_total 2',
        'jobs_created 1700000001.5',
        '# HELP retries Retries.',
        '# TYPE retries counter',
        'retries_total 1',
        'retries_created 1700000001.5',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('writes # UNIT only when unit is set', async () => {
    const registry = new Registry();
    registry.gauge({ name: 'memory_bytes', help: 'Memory.', unit: 'bytes' });
    registry.gauge({ name: 'temperature_celsius', help: 'Temperature.' });
    const text = await registry.metrics({ format: 'openmetrics' });
    expect(text.match(/# UNIT/g)).toHaveLength(1);
    expect(text).toContain('# UNIT memory_bytes bytes\n');
  });

  it('puts # EOF last, once', async () => {
    const text = await fullRegistry().metrics({ format: 'openmetrics' });
    expect(text.endsWith('\n# EOF\n')).toBe(true);
    expect(text.indexOf('# EOF')).toBe(text.length - '# EOF\n'.length);
  });

  it('renders le and quantile label values as canonical numbers (1.0, not 1)', async () => {
    const registry = new Registry({ clock: manualClock(START) });
    registry
      .histogram({ name: 'latency_seconds', help: 'Latency.', buckets: [0.5, 1, 10] })
      .observe(2);
    registry
      .summary({ name: 'query_seconds', help: 'Queries.', quantiles: [0, 0.5, 1] })
      .observe(2);
    const text = await registry.metrics({ format: 'openmetrics' });
    expect(text).toContain('latency_seconds_bucket{le="0.5"} 0\n');
    expect(text).toContain('latency_seconds_bucket{le="1.0"} 0\n');
    expect(text).toContain('latency_seconds_bucket{le="10.0"} 1\n');
    expect(text).toContain('query_seconds{quantile="0.0"} 2\n');
    expect(text).toContain('query_seconds{quantile="1.0"} 2\n');
  });
});

describe('default labels', () => {
  it('come first, and a metric’s own label of the same name replaces them', async () => {
    const registry = new Registry({ defaultLabels: { service: 'api', zone: 'a' } });
    registry
      .gauge({ name: 'g', help: 'G.', labelNames: ['zone', 'kind'] })
      .set({ kind: 'x', zone: 'b' }, 1);
    registry.histogram({ name: 'h', help: 'H.', buckets: [1] }).observe(0.5);
    const text = await registry.metrics();
    expect(text).toContain('g{service="api",zone="b",kind="x"} 1\n');
    expect(text).toContain('h_bucket{service="api",zone="a",le="1"} 1\n');
    expect(text).toContain('h_sum{service="api",zone="a"} 0.5\n');
  });

  it('are escaped like any label value', async () => {
    const registry = new Registry({ defaultLabels: { note: 'say "x"\\n' } });
    registry.gauge({ name: 'g', help: 'G.' }).set(1);
    expect(await registry.metrics()).toContain('g{note="say \\"x\\"\\\\n"} 1\n');
  });
});

describe('a long exposition', () => {
  it('is complete and in order even though it yields to the event loop', async () => {
    const registry = new Registry({ maxSeriesPerMetric: 50_000 });
    const counter = registry.counter({ name: 'hits_total', help: 'Hits.', labelNames: ['id'] });
    for (let i = 0; i < 20_000; i++) counter.inc({ id: String(i) }, i);
    const text = await registry.metrics();
    const [family] = parseExposition(text).families;
    expect(family?.samples).toHaveLength(20_000);
    family?.samples.forEach((sample, i) => {
      expect(sample.labels).toEqual({ id: String(i) });
      expect(sample.value).toBe(i);
    });
  });
});
