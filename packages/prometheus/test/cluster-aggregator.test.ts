import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { Registry, VigilError } from '@vigil/core';
import { type ManualClock, manualClock } from '@vigil/core/testing';
import { caught, rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AGGREGATION_PROTOCOL_VERSION,
  AGGREGATION_RESPONSE_TAG,
  type AggregatedWorker,
  AggregationClosedError,
  ClusterAggregator,
  exposeWorkerMetrics,
  type SnapshotRequest,
  WorkerThreadsAggregator,
} from '../src/index.js';

/** A stand-in for a `Worker`: records the requests; the test answers them (or not). */
class FakeWorker extends EventEmitter {
  readonly requests: SnapshotRequest[] = [];
  constructor(
    readonly threadId: number,
    readonly registry: Registry | undefined,
    readonly mode: 'answer' | 'silent' | 'throw' = 'answer',
  ) {
    super();
  }

  postMessage(request: SnapshotRequest): void {
    if (this.mode === 'throw') throw new Error('channel closed');
    this.requests.push(request);
    if (this.mode === 'answer') queueMicrotask(() => this.answer(request.id));
  }

  answer(id: string, snapshot: unknown = this.registry?.snapshot()): void {
    this.emit('message', {
      vigil: AGGREGATION_RESPONSE_TAG,
      protocol: AGGREGATION_PROTOCOL_VERSION,
      id,
      snapshot,
    });
  }
}

function workerRegistry(jobs: number): Registry {
  const registry = new Registry();
  registry.counter({ name: 'jobs_total', help: 'Jobs.' }).inc(jobs);
  return registry;
}

let clock: ManualClock;
let errors: string[];
const aggregators: WorkerThreadsAggregator[] = [];

function aggregate(workers: FakeWorker[], options: Record<string, unknown> = {}) {
  const aggregator = new WorkerThreadsAggregator({
    workers: () => workers as unknown as AggregatedWorker[],
    clock,
    timers: clock,
    onError: (error, { operation }) => errors.push(`${operation}: ${(error as Error).message}`),
    ...options,
  });
  aggregators.push(aggregator);
  return aggregator;
}

/** Lets queued microtasks and promise callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

beforeEach(() => {
  clock = manualClock();
  errors = [];
});

afterEach(async () => {
  for (const aggregator of aggregators.splice(0)) await aggregator.close();
});

describe('an aggregator scrape', () => {
  it('merges every worker that answers, and the own registry after them', async () => {
    const main = new Registry();
    main.counter({ name: 'jobs_total', help: 'Jobs.' }).inc(100);
    const workers = [new FakeWorker(1, workerRegistry(1)), new FakeWorker(2, workerRegistry(2))];
    const text = await aggregate(workers, { registry: main }).metrics();
    expect(sample(text, 'jobs_total')).toBe(103);
    expect(sample(text, 'vigil_aggregation_workers')).toBe(2);
    expect(sample(text, 'vigil_aggregation_scrapes_total')).toBe(1);
    expect(errors).toEqual([]);
  });

  it('answers with the others when a worker does not answer within the timeout', async () => {
    const silent = new FakeWorker(2, workerRegistry(2), 'silent');
    const aggregator = aggregate([new FakeWorker(1, workerRegistry(1)), silent], {
      timeout: '2s',
    });
    let done = false;
    const scrape = aggregator.metrics().then((text) => {
      done = true;
      return text;
    });
    await settle();
    clock.advance(1_999);
    await settle();
    expect(done).toBe(false);
    clock.advance(1);
    const text = await scrape;
    expect(sample(text, 'jobs_total')).toBe(1);
    expect(sample(text, 'vigil_aggregation_workers_left_out_total{reason="timeout"}')).toBe(1);
    expect(errors).toEqual([
      'ask worker 2: worker 2 did not answer within 2000 ms; left out of this scrape',
    ]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('waits 5 s by default', async () => {
    const scrape = aggregate([new FakeWorker(1, workerRegistry(1), 'silent')]).snapshot();
    clock.advance(4_999);
    await settle();
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(1);
    expect((await scrape).metrics.map((m) => m.name)).not.toContain('jobs_total');
  });

  it("ignores a late answer to an earlier scrape, and another aggregator's answers", async () => {
    const slow = new FakeWorker(1, workerRegistry(1), 'silent');
    const aggregator = aggregate([slow], { timeout: 1_000 });
    const first = aggregator.metrics();
    await settle();
    clock.advance(1_000);
    await first;
    const second = aggregator.metrics();
    await settle();
    const [old, current] = slow.requests.map((r) => r.id) as [string, string];
    expect(old).not.toBe(current);
    // The late answer to the first scrape, then one under an unknown id: both ignored.
    slow.answer(old, workerRegistry(50).snapshot());
    slow.answer('someone-else:1', workerRegistry(60).snapshot());
    slow.emit('message', { hello: 'host message' });
    slow.answer(current, workerRegistry(7).snapshot());
    expect(sample(await second, 'jobs_total')).toBe(7);
  });

  it('leaves out a worker that exits mid-scrape, at once', async () => {
    const dying = new FakeWorker(2, workerRegistry(2), 'silent');
    const scrape = aggregate([new FakeWorker(1, workerRegistry(1)), dying]).metrics();
    await settle();
    dying.emit('exit', 1);
    const text = await scrape;
    expect(sample(text, 'jobs_total')).toBe(1);
    expect(sample(text, 'vigil_aggregation_workers_left_out_total{reason="exited"}')).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('leaves out a worker that cannot be asked, and one that answers garbage', async () => {
    const garbage = new FakeWorker(3, workerRegistry(3), 'silent');
    const scrape = aggregate([
      new FakeWorker(1, workerRegistry(1)),
      new FakeWorker(2, workerRegistry(2), 'throw'),
      garbage,
    ]).metrics();
    await settle();
    garbage.answer(garbage.requests[0]?.id as string, { version: 1, metrics: 'lots' });
    const text = await scrape;
    expect(sample(text, 'jobs_total')).toBe(1);
    expect(sample(text, 'vigil_aggregation_workers_left_out_total{reason="failed"}')).toBe(1);
    expect(sample(text, 'vigil_aggregation_workers_left_out_total{reason="invalid"}')).toBe(1);
    expect(errors).toEqual([
      'ask worker 2: channel closed',
      'ask worker 3: Invalid snapshot: timestamp should be a finite number, got undefined',
    ]);
  });

  it('leaves out a worker that reports it could not snapshot', async () => {
    const failing = new FakeWorker(1, undefined, 'silent');
    const scrape = aggregate([failing]).metrics();
    await settle();
    failing.emit('message', {
      vigil: AGGREGATION_RESPONSE_TAG,
      protocol: AGGREGATION_PROTOCOL_VERSION,
      id: failing.requests[0]?.id,
      error: 'boom',
    });
    expect(sample(await scrape, 'vigil_aggregation_workers_left_out_total{reason="failed"}')).toBe(
      1,
    );
    expect(errors).toEqual(['ask worker 1: worker 1 could not take a snapshot: boom']);
  });

  it('skips exited threads and answers at once without workers', async () => {
    const text = await aggregate([new FakeWorker(-1, workerRegistry(1))]).metrics();
    expect(sample(text, 'jobs_total')).toBeUndefined();
    expect(sample(text, 'vigil_aggregation_workers')).toBe(0);
  });

  it('shares one round of requests between concurrent scrapes', async () => {
    const worker = new FakeWorker(1, workerRegistry(1));
    const aggregator = aggregate([worker]);
    const [a, b] = await Promise.all([aggregator.metrics(), aggregator.metrics('openmetrics')]);
    expect(worker.requests).toHaveLength(1);
    expect(sample(a, 'jobs_total')).toBe(1);
    expect(b.endsWith('# EOF\n')).toBe(true);
    await aggregator.metrics();
    expect(worker.requests).toHaveLength(2);
    expect(worker.listenerCount('message')).toBe(0);
  });

  it('counts a metric the workers disagree on and reports it once', async () => {
    const other = new Registry();
    other.gauge({ name: 'jobs_total', help: 'Jobs.' }).set(5);
    const aggregator = aggregate([new FakeWorker(1, workerRegistry(1)), new FakeWorker(2, other)]);
    await aggregator.metrics();
    const text = await aggregator.metrics();
    expect(sample(text, 'jobs_total')).toBe(1);
    expect(
      sample(text, 'vigil_aggregation_mismatches_total{metric="jobs_total",reason="type"}'),
    ).toBe(2);
    expect(errors[0]).toMatch(/^merge jobs_total: metric 'jobs_total' of worker 2 does not match/);
  });
});

describe('close()', () => {
  it('rejects a scrape in flight and every later call with AGGREGATION_CLOSED', async () => {
    const aggregator = aggregate([new FakeWorker(1, workerRegistry(1), 'silent')]);
    const inFlight = rejection(aggregator.metrics());
    await settle();
    await aggregator.close();
    await aggregator.close();
    const error = await inFlight;
    expect(error).toBeInstanceOf(AggregationClosedError);
    expect(error).toMatchObject({ code: 'AGGREGATION_CLOSED' });
    await expect(aggregator.metrics()).rejects.toMatchObject({ code: 'AGGREGATION_CLOSED' });
    await expect(aggregator.snapshot()).rejects.toBeInstanceOf(AggregationClosedError);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('is what await using calls', async () => {
    const worker = new FakeWorker(1, workerRegistry(1));
    let kept: WorkerThreadsAggregator;
    {
      await using aggregator = aggregate([worker]);
      kept = aggregator;
    }
    await expect(kept.metrics()).rejects.toBeInstanceOf(AggregationClosedError);
  });
});

describe('exposeWorkerMetrics over a real MessageChannel', () => {
  it('answers requests with the registry snapshot and ignores other messages', async () => {
    const { port1, port2 } = new MessageChannel();
    const exposure = exposeWorkerMetrics(workerRegistry(9), { port: port2 });
    const seen: unknown[] = [];
    port2.on('message', (message) => seen.push(message));
    const worker = {
      threadId: 7,
      postMessage: (message: unknown) => port1.postMessage(message),
      on: (event: string, listener: (m: unknown) => void) => port1.on(event, listener),
      off: (event: string, listener: (m: unknown) => void) => port1.off(event, listener),
    };
    const aggregator = new WorkerThreadsAggregator({
      workers: [worker as unknown as AggregatedWorker],
      gauges: 'perWorker',
    });
    aggregators.push(aggregator);
    port1.postMessage({ hello: 'host' });
    expect(sample(await aggregator.metrics(), 'jobs_total')).toBe(9);
    exposure.close();
    exposure.close();
    expect(seen).toContainEqual({ hello: 'host' });
    port1.close();
  });

  it('answers an error when the registry cannot snapshot', async () => {
    const { port1, port2 } = new MessageChannel();
    const exposure = exposeWorkerMetrics(
      {
        snapshot: () => {
          throw new Error('no snapshot today');
        },
      },
      { port: port2 },
    );
    const answer = new Promise((resolve) => port1.once('message', resolve));
    port1.postMessage({ vigil: 'vigil.aggregation.request', protocol: 1, id: 'x:1' });
    expect(await answer).toEqual({
      vigil: AGGREGATION_RESPONSE_TAG,
      protocol: AGGREGATION_PROTOCOL_VERSION,
      id: 'x:1',
      error: 'no snapshot today',
    });
    exposure[Symbol.dispose]();
    port1.close();
  });
});

describe('options', () => {
  it.each([
    [{}, 'workers is required'],
    [{ workers: 'all' }, 'workers should be an array of Worker objects or a function'],
    [{ workers: [{}] }, 'workers should hold Worker objects'],
    [{ workers: [], timeout: 0 }, 'timeout should be longer than zero'],
    [{ workers: [], timeout: 'soon' }, 'timeout'],
    [{ workers: [], registry: {} }, 'registry should be a Registry'],
    [{ workers: [], gauges: 'median' }, "gauges should be one of 'sum'"],
    [{ workers: [], timers: {} }, 'timers should be an object with setTimeout'],
    [{ workers: [], onError: 1 }, 'onError should be a function'],
    [{ workers: [], cluster: true }, "unknown option 'cluster'"],
  ])('WorkerThreadsAggregator rejects %j', (options, message) => {
    expect(() => new WorkerThreadsAggregator(options as never)).toThrow(
      expect.objectContaining({ message: expect.stringContaining(message) }),
    );
    expect(caught(() => new WorkerThreadsAggregator(options as never))).toBeInstanceOf(VigilError);
  });

  it('ClusterAggregator rejects unknown options and takes a timeout', async () => {
    expect(() => new ClusterAggregator({ workers: [] } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    const aggregator = new ClusterAggregator({ timeout: '1s' });
    // No cluster workers in this process: the aggregate is the aggregator's own metrics.
    const text = await aggregator.metrics();
    expect(sample(text, 'vigil_aggregation_workers')).toBe(0);
    expect(aggregator.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(ClusterAggregator.contentTypeOf('openmetrics')).toMatch(
      /^application\/openmetrics-text/,
    );
    await aggregator.close();
  });

  it('checks the format of metrics()', async () => {
    const aggregator = aggregate([]);
    await expect(aggregator.metrics({ format: 'json' as never })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });

  it('exposeWorkerMetrics needs a worker thread or a port, and a registry', () => {
    expect(() => exposeWorkerMetrics(new Registry())).toThrow(/parentPort is null/);
    expect(() => exposeWorkerMetrics({} as never)).toThrow(/registry should be a Registry/);
  });
});
