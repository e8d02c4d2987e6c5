import type { Registry, Timers } from '@vigil/core';
import type { BackendContext } from './backend.js';
import type { Job } from './job.js';
import type { OutcomeSettings } from './job-outcomes.js';

/**
 * @internal What the runner gives a shared queue's engine: its types (each a `Lane`, with its
 * breaker, retry policy, metrics and counts), its runner-wide concurrency, and what the outcomes
 * of attempts need (events, the store for dead letters, the tracker).
 */
export interface QueueEngineContext
  extends BackendContext,
    Omit<OutcomeSettings, 'scheduler' | 'backend' | 'keysInStore'> {
  readonly concurrency: number;
  /** The runner's timers (injected in tests, else core's `systemTimers`). */
  readonly runnerTimers: Timers;
  readonly registry: Registry | undefined;
  /** The queue's connection was lost (`up` false, with the error) or is back. */
  readonly connection: (up: boolean, error: unknown) => void;
}

/** @internal What `close()` of a shared queue's engine answers. */
export interface QueueEngineCloseReport {
  /** Jobs left in the shared queue (waiting, delayed), for any process to run. */
  readonly kept: number;
  /** Running attempts still undecided at the timeout, aborted through their signals. */
  readonly aborted: number;
}

/**
 * @internal A shared queue at work in this process: it stores jobs where every instance sees
 * them, and runs this process's share of them through the runner's lanes.
 */
export interface QueueEngine {
  /** Resolves once the queue is reachable and this process's workers run. */
  readonly ready: Promise<void>;
  /**
   * Stores a new job; resolves once the queue has it. With `watch`, the job's handles settle
   * with its outcome, wherever it runs.
   */
  submit(job: Job, watch: boolean): Promise<void>;
  /** Jobs waiting queue-wide (cached; refreshed at most once per scrape), running here. */
  counts(): { readonly queued: number; readonly running: number };
  /** Stops this process's workers (running jobs get `timeout` ms), then the connections. */
  close(timeout: number): Promise<QueueEngineCloseReport>;
}

/**
 * A backend that is itself the queue, shared by every instance (BullMQ on Redis): the runner
 * hands it its jobs and its types' handlers instead of scheduling them in memory.
 */
export interface QueueBackend {
  /** For metrics and messages: `'bullmq'`. */
  readonly name: string;
  /** Jobs outlive the process: always true. */
  readonly durable: true;
  /** Marks a shared queue (as opposed to a `JobBackend` the runner schedules from). */
  readonly shared: true;
  /** @internal Opens the queue for one runner. */
  open(context: QueueEngineContext): QueueEngine;
}

/** @internal */
export function isQueueBackend(backend: unknown): backend is QueueBackend {
  return (backend as { shared?: unknown } | undefined)?.shared === true;
}
