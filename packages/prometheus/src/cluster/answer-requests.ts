import type { BackgroundErrorReporter, RegistrySnapshot } from '@vigil/core';
import { hasMethods, invalidOption } from '@vigil/core/options';
import {
  AGGREGATION_PROTOCOL_VERSION,
  AGGREGATION_RESPONSE_TAG,
  isSnapshotRequest,
  type SnapshotResponse,
} from './messages.js';
import { encodeNonFinite } from './read-snapshot.js';

/** What a worker exposes: a `Registry` (or anything that snapshots like one). */
export interface SnapshotSource {
  snapshot(): RegistrySnapshot | Promise<RegistrySnapshot>;
  /** Awaited before each snapshot when present (a registry's async `collect` callbacks). */
  collect?(): Promise<void>;
}

/** What `exposeClusterMetrics` and `exposeWorkerMetrics` return. */
export interface MetricsExposure {
  /** Stops answering: removes the message listener (which keeps the process or thread alive). */
  close(): void;
  [Symbol.dispose](): void;
}

/** @internal Checks the `registry` argument of the expose functions. */
export function checkSource(owner: string, registry: unknown): SnapshotSource {
  if (!hasMethods(registry, ['snapshot'])) {
    throw invalidOption(
      owner,
      'registry should be a Registry from @vigil/core, such as new Registry()',
    );
  }
  return registry as SnapshotSource;
}

/** @internal The answer to request `id`: `source`'s snapshot, after its `collect` callbacks. */
async function answerTo(source: SnapshotSource, id: string): Promise<SnapshotResponse> {
  try {
    await source.collect?.();
    const snapshot = encodeNonFinite(await source.snapshot());
    return {
      vigil: AGGREGATION_RESPONSE_TAG,
      protocol: AGGREGATION_PROTOCOL_VERSION,
      id,
      snapshot,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      vigil: AGGREGATION_RESPONSE_TAG,
      protocol: AGGREGATION_PROTOCOL_VERSION,
      id,
      error: message,
    };
  }
}

/**
 * @internal Answers every request that `subscribe` delivers with `send`; other messages are left
 * to the host. A failed send goes to `reportError`.
 */
export function answerRequests(
  source: SnapshotSource,
  subscribe: (listener: (message: unknown) => void) => () => void,
  send: (response: SnapshotResponse) => void,
  reportError: BackgroundErrorReporter,
): MetricsExposure {
  const unsubscribe = subscribe((message) => {
    if (!isSnapshotRequest(message)) return;
    void answerTo(source, message.id).then((response) => {
      try {
        send(response);
      } catch (error) {
        reportError(error, 'send snapshot');
      }
    });
  });
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
  };
  return { close, [Symbol.dispose]: close };
}
