import { backgroundErrorReporter, type OnError } from '@vigil/core';
import { checkOptionsObject, invalidOption, optionalOnError } from '@vigil/core/options';
import {
  answerRequests,
  checkSource,
  type MetricsExposure,
  type SnapshotSource,
} from './answer-requests.js';

/** Options of `exposeClusterMetrics()`. */
export interface ExposeClusterMetricsOptions {
  /**
   * Called with an answer that could not be sent (the primary went away), as `(error, { source:
   * 'exposeClusterMetrics', operation: 'send snapshot' })`. Default: a `VigilWarning` once.
   */
  onError?: OnError | undefined;
}

const OWNER = 'exposeClusterMetrics';

/**
 * In a `node:cluster` worker (or any process forked with an IPC channel): answers the primary's
 * `ClusterAggregator` with `registry.snapshot()`, after `await registry.collect()`. Other IPC
 * messages are left to the host. The `'message'` listener keeps the worker's IPC channel
 * referenced, as any such listener does; `close()` removes it.
 *
 * @throws ConfigurationError `INVALID_OPTION` outside a process with an IPC channel, or for bad
 * arguments.
 */
export function exposeClusterMetrics(
  registry: SnapshotSource,
  options?: ExposeClusterMetricsOptions,
): MetricsExposure {
  const source = checkSource(OWNER, registry);
  const given = checkOptionsObject(OWNER, options, ['onError']);
  const reportError = backgroundErrorReporter(
    OWNER,
    optionalOnError(OWNER, 'onError', given.onError),
  );
  if (typeof process.send !== 'function') {
    throw invalidOption(
      OWNER,
      'this process has no IPC channel (process.send is undefined): call exposeClusterMetrics in a cluster worker, and new ClusterAggregator() in the primary',
    );
  }
  return answerRequests(
    source,
    (listener) => {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
    (response) => {
      process.send?.(response, undefined, undefined, (error: Error | null) => {
        if (error) reportError(error, 'send snapshot');
      });
    },
    reportError,
  );
}
