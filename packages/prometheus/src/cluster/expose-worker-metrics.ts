import type { MessagePort } from 'node:worker_threads';
import { parentPort } from 'node:worker_threads';
import { backgroundErrorReporter, type OnError } from '@vigil/core';
import {
  checkOptionsObject,
  hasMethods,
  invalidOption,
  optionalOnError,
} from '@vigil/core/options';
import {
  answerRequests,
  checkSource,
  type MetricsExposure,
  type SnapshotSource,
} from './answer-requests.js';

/** Options of `exposeWorkerMetrics()`. */
export interface ExposeWorkerMetricsOptions {
  /** The port the requests come in on and the answers go out on; default `parentPort`. */
  port?: Pick<MessagePort, 'on' | 'off' | 'postMessage'> | undefined;
  /** Called with an answer that could not be posted. Default: a `VigilWarning` once. */
  onError?: OnError | undefined;
}

const OWNER = 'exposeWorkerMetrics';

/**
 * In a `worker_threads` worker: answers the parent's `WorkerThreadsAggregator` with
 * `registry.snapshot()`, after `await registry.collect()`. Other messages are left to the host.
 * The `'message'` listener keeps the thread alive, as any `parentPort` listener does; `close()`
 * removes it.
 *
 * @throws ConfigurationError `INVALID_OPTION` in the main thread (no `parentPort`) without a
 * `port`, or for bad arguments.
 */
export function exposeWorkerMetrics(
  registry: SnapshotSource,
  options?: ExposeWorkerMetricsOptions,
): MetricsExposure {
  const source = checkSource(OWNER, registry);
  const given = checkOptionsObject(OWNER, options, ['port', 'onError']);
  const reportError = backgroundErrorReporter(
    OWNER,
    optionalOnError(OWNER, 'onError', given.onError),
  );
  const port = given.port ?? parentPort;
  if (port === null) {
    throw invalidOption(
      OWNER,
      'this is the main thread (parentPort is null): call exposeWorkerMetrics in a worker thread, and new WorkerThreadsAggregator({ workers }) in the thread that holds the workers',
    );
  }
  if (!hasMethods(port, ['on', 'off', 'postMessage'])) {
    throw invalidOption(OWNER, 'port should be a MessagePort, such as parentPort');
  }
  const target = port as Pick<MessagePort, 'on' | 'off' | 'postMessage'>;
  return answerRequests(
    source,
    (listener) => {
      target.on('message', listener);
      return () => target.off('message', listener);
    },
    (response) => target.postMessage(response),
    reportError,
  );
}
