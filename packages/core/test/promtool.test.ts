import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { collectDefaultMetrics, Registry } from '../src/index.js';
import { manualClock } from '../src/testing/index.js';

const directory = mkdtempSync(join(tmpdir(), 'vigil-promtool-'));

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

interface Check {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `promtool check metrics < file`, as its documentation shows. */
function promtoolCheck(text: string, name: string): Check {
  const file = join(directory, `${name}.prom`);
  writeFileSync(file, text);
  const input = openSync(file, 'r');
  try {
    const result = spawnSync('promtool', ['check', 'metrics'], {
      stdio: [input, 'pipe', 'pipe'],
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (result.error !== undefined) {
      const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(
        missing
          ? 'promtool is not on PATH. Install the test dependencies with `bash scripts/install-test-deps.sh` (Debian package prometheus), then run the tests again.'
          : `promtool could not run: ${result.error.message}`,
      );
    }
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    closeSync(input);
  }
}

function expectClean(check: Check, text: string): void {
  // On failure, show promtool's complaint next to the exposition it read.
  expect({ ...check, exposition: text.split('\n') }).toEqual({
    status: 0,
    stdout: '',
    stderr: '',
    exposition: text.split('\n'),
  });
}

function realisticRegistry(): Registry {
  const registry = new Registry({
    clock: manualClock(1_700_000_000_000),
    defaultLabels: { service: 'checkout', instance: 'pod-7 "blue"' },
  });
  const requests = registry.counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method, route and status.\nCounted when the response ends; path is C:\\like.',
    labelNames: ['method', 'route', 'status'],
  });
  requests.inc({ method: 'GET', route: '/users/:id', status: '200' }, 41);
  requests.labels({ method: 'POST', route: '/orders', status: 500 }).inc();
  requests.inc({ method: 'GET', route: '/search?q="a\\b"\nnext', status: '400' });

  registry
    .counter({ name: 'process_cpu_seconds_total', help: 'CPU time.', unit: 'seconds' })
    .inc(12.5);

  const inFlight = registry.gauge({
    name: 'http_requests_in_flight',
    help: 'Requests being served.',
    labelNames: ['route'],
  });
  inFlight.set({ route: '/users/:id' }, 3);
  inFlight.set({ route: '/idle' }, Number.NaN);
  registry
    .gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory.', unit: 'bytes' })
    .set(73_400_320);
  registry
    .gauge({ name: 'queue_oldest_job_age_seconds', help: 'Age of the oldest job.' })
    .set(Number.POSITIVE_INFINITY);

  const latency = registry.histogram({
    name: 'http_request_duration_seconds',
    help: 'Request latency.',
    labelNames: ['method', 'route'],
  });
  for (const value of [0.003, 0.02, 0.2, 0.7, 3, 12]) {
    latency.observe({ method: 'GET', route: '/users/:id' }, value, { trace_id: 'abc123' });
  }
  registry
    .histogram({
      name: 'response_size_bytes',
      help: 'Response sizes.',
      buckets: [100, 1_000, 10_000],
    })
    .observe(512);

  const queries = registry.summary({
    name: 'db_query_duration_seconds',
    help: 'Query latency over the last 10 minutes.',
    labelNames: ['table'],
    quantiles: [0.5, 0.9, 0.99],
  });
  for (let i = 1; i <= 100; i++) queries.observe({ table: 'orders' }, i / 1000);
  registry.summary({ name: 'rpc_duration_seconds', help: 'RPC latency (none yet).' });

  // The registry's own metrics: an invalid observation and a cardinality overflow.
  const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    requests.inc({ method: 'GET', route: '/', status: '200' }, -1);
    const tenants = registry.gauge({
      name: 'tenant_storage_bytes',
      help: 'Storage per tenant.',
      labelNames: ['tenant'],
      maxSeries: 2,
    });
    for (const tenant of ['a', 'b', 'c', 'd']) tenants.set({ tenant }, 1_000);
  } finally {
    warn.mockRestore();
  }
  return registry;
}

describe('promtool check metrics', () => {
  it('finds nothing to complain about in a realistic exposition', async () => {
    const text = await realisticRegistry().metrics();
    // The registry above exercises all four types, escaping, default labels and both
    // of the registry's own counters; make sure they are really in the text.
    for (const expected of [
      '# TYPE http_requests_total counter',
      '# TYPE http_request_duration_seconds histogram',
      '# TYPE db_query_duration_seconds summary',
      '# TYPE http_requests_in_flight gauge',
      'instance="pod-7 \\"blue\\""',
      '\\n',
      'vigil_invalid_observations_total{',
      'vigil_cardinality_overflow_total{',
      'vigil_overflow="true"',
    ]) {
      expect(text).toContain(expected);
    }
    expectClean(promtoolCheck(text, 'realistic'), text);
  });

  it('finds nothing to complain about in an empty registry and in unlabelled metrics', async () => {
    expectClean(promtoolCheck('', 'empty'), '');
    const registry = new Registry();
    registry.counter({ name: 'jobs_processed_total', help: 'Jobs.' });
    registry.histogram({ name: 'job_duration_seconds', help: 'Jobs.' });
    registry.summary({ name: 'job_wait_seconds', help: 'Waits.' });
    const text = await registry.metrics();
    expectClean(promtoolCheck(text, 'unlabelled'), text);
  });

  it('finds only the _total lint of the three gauges whose names prom-client fixed', async () => {
    const registry = new Registry();
    const collector = collectDefaultMetrics(registry);
    try {
      const text = await registry.metrics();
      expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
      // Grafana dashboards query these gauges by prom-client's names, `_total` and all; the
      // exposition itself parses (lint problems alone exit 3, parse errors exit 1).
      const lint = ['handles', 'requests', 'resources'].map(
        (kind) => `nodejs_active_${kind}_total non-counter metrics should not have "_total" suffix`,
      );
      expect(promtoolCheck(text, 'default-metrics')).toEqual({
        status: 3,
        stdout: '',
        stderr: `${lint.join('\n')}\n`,
      });
    } finally {
      collector.close();
    }
  });

  it('does complain about a broken exposition and a lint problem (the check is real)', async () => {
    const broken = promtoolCheck('# TYPE x counter\nx{a="1} 1\n', 'broken');
    expect(broken.status).not.toBe(0);
    expect(broken.stdout + broken.stderr).not.toBe('');
    const registry = new Registry();
    registry.counter({ name: 'requests', help: 'A counter without _total.' }).inc();
    const lint = promtoolCheck(await registry.metrics(), 'lint');
    expect(lint.status).not.toBe(0);
    expect(lint.stdout + lint.stderr).toContain('_total');
  });
});
