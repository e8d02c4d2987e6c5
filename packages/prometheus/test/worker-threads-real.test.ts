import { Worker } from 'node:worker_threads';
import { parseExposition } from '@vigil/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AGGREGATION_RESPONSE_TAG, WorkerThreadsAggregator } from '../src/index.js';
import { expectAggregateOf, expectPromtoolClean } from './fixtures/cluster/aggregate-checks.js';

// A real pool of `worker_threads` workers running the fixture script, which imports the built
// @vigil/prometheus and @vigil/core.
const WORKER_SCRIPT = new URL('./fixtures/cluster/thread-worker.mjs', import.meta.url);

function start(index: number, mode = 'answer'): Promise<Worker> {
  const worker = new Worker(WORKER_SCRIPT, { workerData: { index, mode } });
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  });
}

let pool: Worker[] = [];

beforeAll(async () => {
  pool = await Promise.all([0, 1, 2, 3].map((index) => start(index)));
});

afterAll(async () => {
  await Promise.all(pool.map((worker) => worker.terminate()));
});

describe('WorkerThreadsAggregator with a pool of four real worker threads', () => {
  it('merges what every thread recorded, exactly, into text promtool accepts', async () => {
    const aggregator = new WorkerThreadsAggregator({
      workers: () => pool,
      gauges: { default: 'max', metrics: { heap_used_bytes: 'perWorker' } },
    });
    const text = await aggregator.metrics();
    // With 'max' for the gauges, queue_depth is the deepest queue (worker 3's 4), not the sum.
    expect(text).toContain('queue_depth 4\n');
    const summing = new WorkerThreadsAggregator({ workers: pool });
    const summed = await summing.metrics();
    await summing.close();
    expectAggregateOf(summed, [0, 1, 2, 3]);
    expectPromtoolClean(text);
    expectPromtoolClean(summed);
    const heap = parseExposition(text).families.find((f) => f.name === 'heap_used_bytes');
    expect(heap?.samples.map((s) => [s.labels['worker'], s.value])).toEqual(
      pool.map((worker, i) => [String(worker.threadId), 1000 * (i + 1)]),
    );
    await aggregator.close();
  });

  it('leaves out a thread that never answers, at the timeout', async () => {
    const hung = await start(4, 'hang');
    const due = new Set<() => void>();
    const timers = {
      setTimeout: (callback: () => void) => {
        due.add(callback);
        return callback;
      },
      clearTimeout: (handle: unknown) => due.delete(handle as () => void),
    };
    const aggregator = new WorkerThreadsAggregator({
      workers: () => [...pool, hung],
      timers,
      onError: () => {},
    });
    let answers = 0;
    const count = (message: unknown) => {
      if ((message as { vigil?: unknown })?.vigil === AGGREGATION_RESPONSE_TAG) answers++;
    };
    for (const worker of pool) worker.on('message', count);
    const scrape = aggregator.metrics();
    await vi.waitFor(() => expect(answers).toBe(4), { timeout: 20_000 });
    expect(due.size).toBe(1);
    for (const callback of due) callback();
    const text = await scrape;
    for (const worker of pool) worker.off('message', count);
    expectAggregateOf(text, [0, 1, 2, 3]);
    expect(text).toContain('vigil_aggregation_workers_left_out_total{reason="timeout"} 1\n');
    await aggregator.close();
    await hung.terminate();
  });

  it('skips a thread that has exited', async () => {
    const gone = await start(5);
    await gone.terminate();
    const aggregator = new WorkerThreadsAggregator({ workers: [...pool, gone] });
    expectAggregateOf(await aggregator.metrics(), [0, 1, 2, 3]);
    await aggregator.close();
  });
});
