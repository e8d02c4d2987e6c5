import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { type MetricSnapshot, Registry } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { serveOnLoopback } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeNonFinite } from '../src/cluster/read-snapshot.js';
import {
  AggregationClosedError,
  mergeSnapshots,
  PeriodicPusher,
  Pushgateway,
  readSnapshot,
  serveMetrics,
  WorkerThreadsAggregator,
} from '../src/index.js';

// Each case is a bug a review of the package found, reproduced before it was fixed.

const closing: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
});

const gauge = (name: string, labels: Record<string, string>, value: number): MetricSnapshot => ({
  name,
  help: 'G.',
  type: 'gauge',
  labelNames: Object.keys(labels),
  series: [{ labels, value }],
});
const snapshot = (...metrics: MetricSnapshot[]) => ({ version: 1 as const, timestamp: 1, metrics });

describe('review regressions', () => {
  it('an awaited remote write keeps its process alive through a retry’s backoff', async () => {
    let requests = 0;
    const receiver = await serveOnLoopback((_req, res) => {
      requests++;
      res.statusCode = requests === 1 ? 503 : 204;
      res.end();
    });
    closing.push(receiver.close);
    const script = `
      import { Registry } from '@vigil/core';
      import { RemoteWriter } from '@vigil/prometheus';
      const registry = new Registry();
      registry.counter({ name: 'batch_total', help: 'B.' }).inc();
      const writer = new RemoteWriter({ url: '${receiver.url}/api/v1/write', registry, autoStart: false, ownMetrics: false, retries: { minBackoff: '300ms' } });
      const result = await writer.write();
      console.log('settled', result.samples);
      await writer.close();`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: import.meta.dirname,
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(errors).toBe('');
    expect(output).toBe('settled 1\n');
    expect(code).toBe(0);
    expect(requests).toBe(3); // the 503, its retry, and close()'s last write
  });

  it('a grouping label or job of dots is sent @base64, not as a dot-segment', () => {
    const registry = new Registry();
    const gateway = new Pushgateway({
      url: 'http://127.0.0.1:9091',
      job: '..',
      groupingLabels: { instance: '.', zone: 'a' },
      registry,
    });
    expect(gateway.url).toBe(
      'http://127.0.0.1:9091/metrics/job@base64/Li4/instance@base64/Lg/zone/a',
    );
  });

  it('a job given to one call is checked like the constructor’s', () => {
    const gateway = new Pushgateway({
      url: 'http://127.0.0.1:9091',
      job: 'j',
      registry: new Registry(),
    });
    return expect(gateway.push({ job: 42 as never })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringMatching(/job should be a non-empty string/),
    });
  });

  it('pushNow() after close() pushes nothing, so a deleted group stays deleted', async () => {
    const methods: string[] = [];
    const server = await serveOnLoopback((req, res) => {
      methods.push(req.method ?? '');
      req.resume().on('end', () => res.end());
    });
    closing.push(server.close);
    const gateway = new Pushgateway({ url: server.url, job: 'j', registry: new Registry() });
    const pusher = new PeriodicPusher({ gateway, deleteOnClose: true, timers: manualClock() });
    const closed = pusher.close();
    await expect(pusher.pushNow()).resolves.toBe(false);
    await expect(closed).resolves.toEqual({ pushed: true, deleted: true });
    expect(methods).toEqual(['PUT', 'DELETE']);
  });

  it('encoding non-finite values for IPC leaves the snapshot (a collector’s own data) alone', () => {
    const original = snapshot(gauge('ratio', {}, Number.POSITIVE_INFINITY));
    const encoded = encodeNonFinite(original);
    expect(original.metrics[0]?.series[0]).toEqual({ labels: {}, value: Number.POSITIVE_INFINITY });
    expect(encoded.metrics[0]?.series[0]).toEqual({ labels: {}, value: '+Inf' });
  });

  it('readSnapshot refuses a histogram series with an le label and a summary with a quantile label', () => {
    const histogram = {
      name: 'h',
      help: 'H.',
      type: 'histogram',
      labelNames: [],
      bounds: [1],
      series: [{ labels: { le: 'oops' }, counts: [1, 0], sum: 1, count: 1, created: 0 }],
    };
    expect(() => readSnapshot(snapshot(histogram as never))).toThrow(
      /labels should map label names/,
    );
    const labelled = { ...histogram, labelNames: ['le'], series: [] };
    expect(() => readSnapshot(snapshot(labelled as never))).toThrow(
      /labelNames should hold label names/,
    );
  });

  it('a metric whose exposed names collide with another’s is left out as a mismatch', () => {
    const histogram = {
      name: 'h',
      help: 'H.',
      type: 'histogram' as const,
      labelNames: [],
      bounds: [1],
      series: [{ labels: {}, counts: [1, 0], sum: 1, count: 1, created: 0 }],
    };
    const { snapshot: merged, mismatches } = mergeSnapshots([
      { worker: '1', snapshot: snapshot(histogram) },
      { worker: '2', snapshot: snapshot(gauge('h_bucket', {}, 3)) },
    ]);
    expect(merged.metrics.map((m) => m.name)).toEqual(['h']);
    expect(mismatches).toEqual([{ metric: 'h_bucket', worker: '2', reason: 'name' }]);
  });

  it('a perWorker gauge that has the worker label already is a mismatch, never duplicate series', () => {
    const { snapshot: merged, mismatches } = mergeSnapshots(
      [
        { worker: '1', snapshot: snapshot(gauge('queue_busy', { worker: 'email' }, 1)) },
        { worker: '2', snapshot: snapshot(gauge('queue_busy', { worker: 'email' }, 2)) },
      ],
      { gauges: 'perWorker' },
    );
    expect(merged.metrics[0]?.series).toEqual([{ labels: { worker: 'email' }, value: 1 }]);
    expect(mismatches).toEqual([{ metric: 'queue_busy', worker: '1', reason: 'label' }]);
  });

  it('a stuck collect callback of the own registry costs its fresh values, not the scrape; close() ends a scrape', async () => {
    const clock = manualClock();
    const registry = new Registry();
    registry.gauge({ name: 'stuck', help: 'S.', collect: () => new Promise(() => {}) });
    const errors: string[] = [];
    const aggregator = new WorkerThreadsAggregator({
      workers: [],
      registry,
      timeout: '200ms',
      timers: clock,
      clock,
      onError: (_error, { operation }) => errors.push(operation),
    });
    const scraped = aggregator.snapshot();
    await new Promise((resolve) => setTimeout(resolve, 10));
    clock.advance(200);
    const merged = await scraped;
    expect(merged.metrics.map((m) => m.name)).toContain('stuck');
    expect(errors).toContain('collect own registry');
    const pending = aggregator.snapshot();
    await aggregator.close();
    await expect(pending).rejects.toBeInstanceOf(AggregationClosedError);
  });

  it('serveMetrics().close() does not wait for a keep-alive connection’s timeout', async () => {
    const source = {
      metrics: () =>
        new Promise<string>((resolve) => setTimeout(() => resolve('slow_total 1\n'), 300)),
    };
    const server = await serveMetrics({ registry: source });
    const agent = new Agent({ keepAlive: true });
    closing.push(async () => agent.destroy());
    const answered = new Promise<number>((resolve) => {
      httpRequest(server.url, { agent }, (res) => {
        res.resume().on('end', () => resolve(res.statusCode ?? 0));
      }).end();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await server.close();
    expect(await answered).toBe(200);
    // Node's keep-alive timeout is 5 s: close() used to wait for it.
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
