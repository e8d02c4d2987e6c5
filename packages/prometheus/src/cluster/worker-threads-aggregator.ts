import type { Worker } from 'node:worker_threads';
import { describeValue, hasMethods, invalidOption, required } from '@vigil/core/options';
import { type AggregatorOptions, aggregatorConfig } from './aggregator-options.js';
import { MetricsAggregator } from './metrics-aggregator.js';
import type { ScrapeTarget } from './scrape-workers.js';

/** The workers a `WorkerThreadsAggregator` asks: what `postMessage`, `on` and `off` suffice for. */
export type AggregatedWorker = Pick<Worker, 'threadId' | 'postMessage' | 'on' | 'off'>;

/** Options of `new WorkerThreadsAggregator()`. */
export interface WorkerThreadsAggregatorOptions extends AggregatorOptions {
  /**
   * The workers (each calls `exposeWorkerMetrics(registry)`): an array, or a function returning
   * them at each scrape (a pool that replaces its workers). Workers that have exited
   * (`threadId` -1) are skipped.
   */
  workers: readonly AggregatedWorker[] | (() => Iterable<AggregatedWorker>);
}

const OWNER = 'WorkerThreadsAggregator';
const WORKER_METHODS = ['postMessage', 'on', 'off'];

/**
 * In the thread that holds a pool of `worker_threads` workers: merges their metrics (each calls
 * `exposeWorkerMetrics(registry)`) into one exposition, as `ClusterAggregator` does for a
 * cluster. The thread's own registry joins as `'main'` when given as `registry`.
 *
 * @throws ConfigurationError `INVALID_OPTION` for bad options.
 */
export class WorkerThreadsAggregator extends MetricsAggregator {
  readonly #workers: () => Iterable<AggregatedWorker>;

  constructor(options: WorkerThreadsAggregatorOptions) {
    const { config, given } = aggregatorConfig(OWNER, options, ['workers'], { required: true });
    const workers = required(OWNER, 'workers', given.workers, 'the Worker objects, or () => pool');
    if (typeof workers !== 'function' && !Array.isArray(workers)) {
      throw invalidOption(
        OWNER,
        `workers should be an array of Worker objects or a function returning them, got ${describeValue(workers)}`,
      );
    }
    if (Array.isArray(workers)) checkWorkers(workers);
    super(OWNER, 'main', config);
    this.#workers =
      typeof workers === 'function'
        ? (workers as () => Iterable<AggregatedWorker>)
        : () => workers as readonly AggregatedWorker[];
  }

  protected targets(): ScrapeTarget[] {
    const workers = [...this.#workers()];
    checkWorkers(workers);
    return workers.filter((worker) => worker.threadId >= 0).map(threadTarget);
  }
}

function checkWorkers(workers: readonly unknown[]): void {
  for (const worker of workers) {
    if (!hasMethods(worker, WORKER_METHODS)) {
      throw invalidOption(
        OWNER,
        `workers should hold Worker objects of node:worker_threads, got ${describeValue(worker)}`,
      );
    }
  }
}

function threadTarget(worker: AggregatedWorker): ScrapeTarget {
  return {
    name: String(worker.threadId),
    ask(request) {
      worker.postMessage(request);
    },
    listen(onMessage, onGone) {
      worker.on('message', onMessage);
      worker.on('exit', onGone);
      worker.on('error', onGone);
      return () => {
        worker.off('message', onMessage);
        worker.off('exit', onGone);
        worker.off('error', onGone);
      };
    },
  };
}
