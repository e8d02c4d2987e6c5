import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { Registry } from '@vigil/core';
import { forkReadyWorker, parseExposition, stopWorker } from '@vigil/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AGGREGATION_RESPONSE_TAG, ClusterAggregator } from '../src/index.js';
import {
  averagedP99,
  expectAggregateOf,
  expectPromtoolClean,
  trueQuantile,
} from './fixtures/cluster/aggregate-checks.js';
import { latencies } from './fixtures/cluster/recordings.mjs';

// Real `node:cluster`: this test process is the primary; the workers run the fixture script,
// which imports the built @vigil/prometheus and @vigil/core.
const WORKER_SCRIPT = fileURLToPath(
  new URL('./fixtures/cluster/cluster-worker.mjs', import.meta.url),
);

function fork(index: number, mode = 'answer'): Promise<Worker> {
  return forkReadyWorker({ INDEX: String(index), MODE: mode });
}

/** Timers whose one timeout the test fires by hand. */
function handTimers() {
  const due = new Set<() => void>();
  return {
    setTimeout(callback: () => void) {
      due.add(callback);
      return callback;
    },
    clearTimeout(handle: unknown) {
      due.delete(handle as () => void);
    },
    fireAll() {
      for (const callback of [...due]) {
        due.delete(callback);
        callback();
      }
    },
    get pending() {
      return due.size;
    },
  };
}

let workers: Worker[] = [];

beforeAll(async () => {
  cluster.setupPrimary({ exec: WORKER_SCRIPT, silent: false });
  workers = await Promise.all([0, 1, 2, 3].map((index) => fork(index)));
});

afterAll(async () => {
  await Promise.all(
    Object.values(cluster.workers ?? {}).map((w) => (w ? stopWorker(w) : undefined)),
  );
});

describe('ClusterAggregator with four real cluster workers', () => {
  it('merges what every worker recorded, exactly, into text promtool accepts', async () => {
    const primary = new Registry();
    primary.counter({ name: 'primary_restarts_total', help: 'Restarts seen.' }).inc(2);
    const aggregator = new ClusterAggregator({
      registry: primary,
      gauges: { metrics: { heap_used_bytes: 'perWorker' } },
    });
    const text = await aggregator.metrics();
    expectAggregateOf(text, [0, 1, 2, 3]);
    expectPromtoolClean(text);

    // Averaging the workers' p99s (prom-client) would miss by far more than the sketch's error.
    const pooled = [0, 1, 2, 3].flatMap((i) => latencies(i));
    const truth = trueQuantile(pooled, 0.99);
    expect(Math.abs(averagedP99([0, 1, 2, 3]) - truth) / truth).toBeGreaterThan(0.05);

    const families = new Map(parseExposition(text).families.map((f) => [f.name, f]));
    const heap = families.get('heap_used_bytes')?.samples ?? [];
    const ids = workers.map((w) => String(w.id));
    expect(heap.map((s) => [s.labels, s.value])).toEqual(
      ids.map((worker, i) => [{ worker }, 1000 * (i + 1)]),
    );
    expect(families.get('primary_restarts_total')?.samples[0]?.value).toBe(2);
    expect(families.get('vigil_aggregation_workers')?.samples[0]?.value).toBe(4);

    const openMetrics = await aggregator.metrics({ format: 'openmetrics' });
    expect(parseExposition(openMetrics, 'openmetrics').eof).toBe(true);
    expect(openMetrics).toContain('# TYPE jobs counter\n');
    await aggregator.close();
  });

  it('leaves out a worker that hangs, one that dies mid-scrape and one that answers garbage', async () => {
    const extra = await Promise.all([fork(4, 'hang'), fork(5, 'die'), fork(6, 'garbage')]);
    const [, dying] = extra as [Worker, Worker, Worker];
    const timers = handTimers();
    const errors: string[] = [];
    const aggregator = new ClusterAggregator({
      timers,
      onError: (error, { operation }) => errors.push(`${operation}: ${(error as Error).message}`),
    });
    let answers = 0;
    const count = (_worker: Worker, message: unknown) => {
      if ((message as { vigil?: unknown })?.vigil === AGGREGATION_RESPONSE_TAG) answers++;
    };
    cluster.on('message', count);
    const died = new Promise((resolve) => dying.once('exit', resolve));

    const scrape = aggregator.metrics();
    // Four good answers and the garbage one arrive, the dying worker exits; the hung one never
    // answers, so the scrape waits for its timeout, fired here by hand.
    await died;
    await vi.waitFor(() => expect(answers).toBe(5), { timeout: 20_000 });
    expect(timers.pending).toBe(1);
    timers.fireAll();
    const text = await scrape;
    cluster.off('message', count);

    expectAggregateOf(text, [0, 1, 2, 3]);
    expectPromtoolClean(text);
    const leftOut = parseExposition(text)
      .families.find((f) => f.name === 'vigil_aggregation_workers_left_out_total')
      ?.samples.map((s) => [s.labels['reason'], s.value]);
    expect(Object.fromEntries(leftOut ?? [])).toEqual({
      timeout: 1,
      exited: 1,
      invalid: 1,
      failed: 0,
    });
    expect(errors.some((e) => e.includes('did not answer within 5000 ms'))).toBe(true);
    expect(errors.some((e) => e.includes('Invalid snapshot'))).toBe(true);
    await aggregator.close();
    await Promise.all(extra.map(stopWorker));
  });
});
