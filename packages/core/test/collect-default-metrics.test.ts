import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { caught, type ParsedFamily, parseExposition } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { collectDefaultMetrics, type DefaultMetrics, Registry, VigilError } from '../src/index.js';

// prom-client's default metric names, which existing Grafana dashboards query.
const PROM_CLIENT_NAMES = [
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_seconds_total',
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  'process_virtual_memory_bytes',
  'process_heap_bytes',
  'process_open_fds',
  'process_max_fds',
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_heap_space_size_total_bytes',
  'nodejs_heap_space_size_used_bytes',
  'nodejs_heap_space_size_available_bytes',
  'nodejs_version_info',
  'nodejs_gc_duration_seconds',
];

// prom-client 15.1.3's type, help text and labels (before `labels`) of each: word for word.
const LAG = 'recorded event loop delay';
const PROM_CLIENT_DEFINITIONS: Record<string, [string, string, string[]?]> = {
  process_cpu_user_seconds_total: ['counter', 'Total user CPU time spent in seconds.'],
  process_cpu_system_seconds_total: ['counter', 'Total system CPU time spent in seconds.'],
  process_cpu_seconds_total: ['counter', 'Total user and system CPU time spent in seconds.'],
  process_start_time_seconds: ['gauge', 'Start time of the process since unix epoch in seconds.'],
  process_resident_memory_bytes: ['gauge', 'Resident memory size in bytes.'],
  process_virtual_memory_bytes: ['gauge', 'Virtual memory size in bytes.'],
  process_heap_bytes: ['gauge', 'Process heap size in bytes.'],
  process_open_fds: ['gauge', 'Number of open file descriptors.'],
  process_max_fds: ['gauge', 'Maximum number of open file descriptors.'],
  nodejs_eventloop_lag_seconds: ['gauge', 'Lag of event loop in seconds.'],
  nodejs_eventloop_lag_min_seconds: ['gauge', `The minimum ${LAG}.`],
  nodejs_eventloop_lag_max_seconds: ['gauge', `The maximum ${LAG}.`],
  nodejs_eventloop_lag_mean_seconds: ['gauge', `The mean of the ${LAG}s.`],
  nodejs_eventloop_lag_stddev_seconds: ['gauge', `The standard deviation of the ${LAG}s.`],
  nodejs_eventloop_lag_p50_seconds: ['gauge', `The 50th percentile of the ${LAG}s.`],
  nodejs_eventloop_lag_p90_seconds: ['gauge', `The 90th percentile of the ${LAG}s.`],
  nodejs_eventloop_lag_p99_seconds: ['gauge', `The 99th percentile of the ${LAG}s.`],
  nodejs_active_handles: [
    'gauge',
    'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
    ['type'],
  ],
  nodejs_active_handles_total: ['gauge', 'Total number of active handles.'],
  nodejs_active_requests: [
    'gauge',
    'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
    ['type'],
  ],
  nodejs_active_requests_total: ['gauge', 'Total number of active requests.'],
  nodejs_active_resources: [
    'gauge',
    'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
    ['type'],
  ],
  nodejs_active_resources_total: ['gauge', 'Total number of active resources.'],
  nodejs_heap_size_total_bytes: ['gauge', 'Process heap size from Node.js in bytes.'],
  nodejs_heap_size_used_bytes: ['gauge', 'Process heap size used from Node.js in bytes.'],
  nodejs_external_memory_bytes: ['gauge', 'Node.js external memory size in bytes.'],
  nodejs_heap_space_size_total_bytes: [
    'gauge',
    'Process heap space size total from Node.js in bytes.',
    ['space'],
  ],
  nodejs_heap_space_size_used_bytes: [
    'gauge',
    'Process heap space size used from Node.js in bytes.',
    ['space'],
  ],
  nodejs_heap_space_size_available_bytes: [
    'gauge',
    'Process heap space size available from Node.js in bytes.',
    ['space'],
  ],
  nodejs_version_info: ['gauge', 'Node.js version info.', ['version', 'major', 'minor', 'patch']],
  nodejs_gc_duration_seconds: [
    'histogram',
    'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    ['kind'],
  ],
};

const open: DefaultMetrics[] = [];
afterEach(() => {
  for (const collector of open.splice(0)) void collector.close();
});

function start(registry = new Registry()): Registry {
  open.push(collectDefaultMetrics(registry));
  return registry;
}

async function families(registry: Registry): Promise<Map<string, ParsedFamily>> {
  const parsed = parseExposition(await registry.metrics(), 'prometheus').families;
  return new Map(parsed.map((family) => [family.name, family]));
}

function value(family: ParsedFamily | undefined, labels: Record<string, string> = {}): number {
  const sample = family?.samples.find((s) =>
    Object.entries(labels).every(([name, v]) => s.labels[name] === v),
  );
  if (sample === undefined) throw new Error(`no sample ${JSON.stringify(labels)}`);
  return sample.value;
}

/** Lets queued callbacks (setImmediate, PerformanceObserver deliveries) run; no wall-clock wait. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('collectDefaultMetrics', () => {
  it("registers every prom-client default metric name (on Linux) with prom-client's types", async () => {
    const found = await families(start());
    expect(PROM_CLIENT_NAMES.filter((name) => !found.has(name))).toEqual([]);
    expect(found.get('process_cpu_seconds_total')?.type).toBe('counter');
    expect(found.get('nodejs_gc_duration_seconds')?.type).toBe('histogram');
    expect(found.get('nodejs_heap_size_used_bytes')?.type).toBe('gauge');
  });

  it('reports plausible process figures', async () => {
    const found = await families(start());
    const rss = process.memoryUsage.rss();
    expect(value(found.get('process_resident_memory_bytes'))).toBeGreaterThan(rss / 4);
    expect(value(found.get('process_resident_memory_bytes'))).toBeLessThan(rss * 4);
    expect(value(found.get('nodejs_heap_size_used_bytes'))).toBeGreaterThan(0);
    expect(value(found.get('process_open_fds'))).toBeGreaterThan(2);
    expect(value(found.get('process_max_fds'))).toBeGreaterThanOrEqual(
      value(found.get('process_open_fds')),
    );
    const start_ = value(found.get('process_start_time_seconds'));
    expect(start_).toBeLessThanOrEqual(Date.now() / 1000);
    expect(start_).toBeGreaterThan(Date.now() / 1000 - 24 * 3600);
    const [major = '', minor = '', patch = ''] = process.versions.node.split('.');
    expect(
      value(found.get('nodejs_version_info'), { version: process.version, major, minor, patch }),
    ).toBe(1);
  });

  it('counts CPU time as it is spent, in seconds, with the total the sum of user and system', async () => {
    const registry = start();
    const before = await families(registry);
    const deadline = process.cpuUsage().user + 30_000;
    while (process.cpuUsage().user < deadline) Math.sqrt(Math.random()); // ≥ 30 ms of CPU
    const after = await families(registry);
    const spent = (name: string) => value(after.get(name)) - value(before.get(name));
    expect(spent('process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0.03);
    expect(spent('process_cpu_seconds_total')).toBeCloseTo(
      spent('process_cpu_user_seconds_total') + spent('process_cpu_system_seconds_total'),
      9,
    );
  });

  it('has one series per V8 heap space, named as prom-client names them', async () => {
    const found = await families(start());
    const spaces = getHeapSpaceStatistics().map((s) => s.space_name.replace(/_space$/, ''));
    expect(spaces).toContain('old');
    for (const name of ['total', 'used', 'available']) {
      const family = found.get(`nodejs_heap_space_size_${name}_bytes`);
      expect(family?.samples.map((s) => s.labels.space).sort()).toEqual([...spaces].sort());
    }
  });

  it('counts active resources by type, and forgets counts that went away', async () => {
    const registry = start();
    const timeouts = (found: Map<string, ParsedFamily>) =>
      found.get('nodejs_active_resources')?.samples.find((s) => s.labels.type === 'Timeout')
        ?.value ?? 0;
    // The test runner's own RPC timers come and go too: count many of ours, allow it a few.
    const intervals = Array.from({ length: 20 }, () => setInterval(() => {}, 60_000));
    const running = await families(registry);
    for (const interval of intervals) clearInterval(interval);
    const cleared = await families(registry);
    const forgotten = timeouts(running) - timeouts(cleared);
    expect(forgotten).toBeGreaterThanOrEqual(17);
    expect(forgotten).toBeLessThanOrEqual(23);
    expect(value(running.get('nodejs_active_resources_total'))).toBeGreaterThanOrEqual(20);
    expect(value(running.get('nodejs_active_handles_total'))).toBeGreaterThanOrEqual(0);
  });

  it('records garbage collections by kind until closed', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const registry = new Registry();
    const collector = collectDefaultMetrics(registry);
    const histogram = registry.get('nodejs_gc_duration_seconds');
    const counted = () =>
      registry
        .snapshot()
        .metrics.find((m) => m.name === 'nodejs_gc_duration_seconds')
        ?.series.reduce((n, s) => n + ('count' in s ? s.count : 0), 0) ?? 0;
    expect(histogram?.type).toBe('histogram');
    gc();
    for (let i = 0; i < 50 && counted() === 0; i++) await turns(1);
    const major = registry.snapshot().metrics.find((m) => m.name === 'nodejs_gc_duration_seconds');
    expect(
      major?.series.some((s) => s.labels.kind === 'major' && 'count' in s && s.count > 0),
    ).toBe(true);
    collector.close();
    const before = counted();
    gc();
    await turns(20);
    expect(counted()).toBe(before);
  });

  it('reports the event-loop delay distribution of the last window, then starts a new one', async () => {
    const registry = start(new Registry());
    // The monitor measures real time: let it tick, block the loop for 60 ms, let it tick again.
    const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
    await tick();
    const busyUntil = performance.now() + 60;
    while (performance.now() < busyUntil);
    await tick();
    const found = await families(registry);
    const max = value(found.get('nodejs_eventloop_lag_max_seconds'));
    expect(max).toBeGreaterThan(0.03);
    expect(value(found.get('nodejs_eventloop_lag_min_seconds'))).toBeLessThanOrEqual(
      value(found.get('nodejs_eventloop_lag_p50_seconds')),
    );
    expect(value(found.get('nodejs_eventloop_lag_p99_seconds'))).toBeLessThanOrEqual(max);
    expect(value(found.get('nodejs_eventloop_lag_seconds'))).toBeGreaterThanOrEqual(0);
    const next = await families(registry);
    expect(value(next.get('nodejs_eventloop_lag_max_seconds'))).toBeLessThan(max);
  });

  it('returns the running collector when called again for the same registry', () => {
    const registry = start();
    expect(collectDefaultMetrics(registry)).toBe(open[0]);
  });

  it('honours the registry prefix and default labels', async () => {
    const found = await families(
      start(new Registry({ prefix: 'app_', defaultLabels: { service: 'api' } })),
    );
    expect(found.get('app_process_cpu_seconds_total')?.samples[0]?.labels).toEqual({
      service: 'api',
    });
  });

  it("prefixes its own metrics only, so the registry's other metrics keep their names", async () => {
    const registry = new Registry();
    registry.counter({ name: 'http_requests_total', help: 'Requests.' });
    open.push(collectDefaultMetrics(registry, { prefix: 'api_' }));
    const found = await families(registry);
    expect(found.has('api_process_cpu_seconds_total')).toBe(true);
    expect(found.has('api_nodejs_gc_duration_seconds')).toBe(true);
    expect(found.has('process_cpu_seconds_total')).toBe(false);
    expect(found.has('http_requests_total')).toBe(true);
  });

  it("takes prom-client's eventLoopMonitoringPrecision for eventLoopResolution", () => {
    const registry = new Registry();
    open.push(collectDefaultMetrics(registry, { eventLoopMonitoringPrecision: 20 }));
    expect(registry.get('nodejs_eventloop_lag_seconds')).toBeDefined();
    const both = caught(() =>
      collectDefaultMetrics(new Registry(), {
        eventLoopResolution: 10,
        eventLoopMonitoringPrecision: 10,
      }),
    );
    expect((both as Error).message).toContain('not both');
  });

  it('closes asynchronously, with await using', async () => {
    const registry = new Registry();
    const collector = collectDefaultMetrics(registry);
    await collector[Symbol.asyncDispose]();
    expect(collectDefaultMetrics(registry)).not.toBe(collector);
    await collectDefaultMetrics(registry).close();
  });

  it('rejects bad options with INVALID_OPTION', () => {
    const registry = new Registry();
    for (const options of [
      { eventLoopResolution: 0 },
      { eventLoopResolution: 2.5 },
      { gcDurationBuckets: [1, 0.5] },
      { gcDurationBucket: [1] },
      { eventLoopMonitoringPrecision: -1 },
      { prefix: '1x_' },
      { prefix: 5 },
    ]) {
      const error = caught(() => collectDefaultMetrics(registry, options as never));
      expect(error).toBeInstanceOf(VigilError);
      expect((error as VigilError).code).toBe('INVALID_OPTION');
    }
    expect(registry.getAll()).toEqual([]);
  });
});

describe('default metric definitions', () => {
  it('have prom-client 15.1.3’s types, help texts and labels, for every metric registered', () => {
    const registry = start();
    expect(Object.keys(PROM_CLIENT_DEFINITIONS).sort()).toEqual([...PROM_CLIENT_NAMES].sort());
    const registered = registry.getAll();
    expect(registered.length).toBeGreaterThan(20);
    for (const metric of registered) {
      const [type, help, labelNames = []] = PROM_CLIENT_DEFINITIONS[metric.name] ?? [];
      expect({ name: metric.name, type: metric.type, help: metric.help }).toEqual({
        name: metric.name,
        type,
        help,
      });
      expect(metric.labelNames).toEqual(labelNames);
    }
  });
});
