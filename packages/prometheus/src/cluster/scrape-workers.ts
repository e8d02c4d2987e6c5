import type { Timers } from '@vigil/core';
import type { LeftOutReason } from './aggregation-metrics.js';
import type { WorkerSnapshot } from './merge-snapshots.js';
import {
  AGGREGATION_PROTOCOL_VERSION,
  AGGREGATION_REQUEST_TAG,
  isSnapshotResponse,
  type SnapshotRequest,
} from './messages.js';
import { readSnapshot } from './read-snapshot.js';

/** @internal One process an aggregator asks for its snapshot. */
export interface ScrapeTarget {
  /** Its name in the aggregate (the `worker` label): a cluster worker's id, a thread's id. */
  readonly name: string;
  /** Sends `request`; calls `failed` (or throws) when it cannot be delivered. */
  ask(request: SnapshotRequest, failed: (error: unknown) => void): void;
  /** Listens for its messages and for its end (exit, disconnect); returns the unsubscribe. */
  listen(onMessage: (message: unknown) => void, onGone: () => void): () => void;
}

/** @internal What a scrape tells its aggregator about the workers it could not use. */
export interface ScrapeEvents {
  leftOut(target: ScrapeTarget, reason: LeftOutReason, error: Error): void;
}

/** @internal A scrape in flight: its answers, in the targets' order, and a way to stop it. */
export interface WorkerScrape {
  readonly answers: Promise<WorkerSnapshot[]>;
  /** Stops waiting: unsubscribes, clears the timer, rejects `answers` with `error`. */
  abort(error: Error): void;
}

/**
 * @internal Asks every target for its snapshot under request id `id`, and resolves with the
 * valid answers once every target answered, failed or went away, or when `timeout` ms have
 * passed, whichever comes first: a target that has not answered is then left out. Never hangs,
 * never rejects unless aborted. Answers to other ids (a previous scrape's) are ignored.
 */
export function scrapeWorkers(
  targets: readonly ScrapeTarget[],
  id: string,
  timeout: number,
  timers: Timers,
  events: ScrapeEvents,
): WorkerScrape {
  const request: SnapshotRequest = {
    vigil: AGGREGATION_REQUEST_TAG,
    protocol: AGGREGATION_PROTOCOL_VERSION,
    id,
  };
  const answers: Array<WorkerSnapshot | undefined> = new Array(targets.length);
  const settled = new Array<boolean>(targets.length).fill(false);
  const unsubscribes: Array<() => void> = [];
  let remaining = targets.length;
  let finished = false;
  let timer: unknown;
  let resolve!: (answers: WorkerSnapshot[]) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<WorkerSnapshot[]>((res, rej) => {
    resolve = res;
    reject = rej;
  });

  const stop = (): void => {
    finished = true;
    if (timer !== undefined) timers.clearTimeout(timer);
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
  const finish = (): void => {
    if (finished) return;
    stop();
    resolve(answers.filter((answer): answer is WorkerSnapshot => answer !== undefined));
  };
  const settle = (index: number, answer?: WorkerSnapshot): void => {
    if (finished || settled[index]) return;
    settled[index] = true;
    answers[index] = answer;
    if (--remaining === 0) finish();
  };
  const leaveOut = (index: number, reason: LeftOutReason, error: Error): void => {
    if (finished || settled[index]) return;
    events.leftOut(targets[index] as ScrapeTarget, reason, error);
    settle(index);
  };

  targets.forEach((target, index) => {
    const onMessage = (message: unknown): void => {
      if (!isSnapshotResponse(message) || message.id !== id) return;
      if (message.protocol !== AGGREGATION_PROTOCOL_VERSION || typeof message.error === 'string') {
        const why =
          message.protocol !== AGGREGATION_PROTOCOL_VERSION
            ? `speaks protocol ${String(message.protocol)}, not ${AGGREGATION_PROTOCOL_VERSION}: run one @vigil/prometheus version in the primary and the workers`
            : `could not take a snapshot: ${message.error}`;
        leaveOut(index, 'failed', new Error(`worker ${target.name} ${why}`));
        return;
      }
      try {
        settle(index, { worker: target.name, snapshot: readSnapshot(message.snapshot) });
      } catch (error) {
        leaveOut(index, 'invalid', error as Error);
      }
    };
    const onGone = (): void => {
      leaveOut(index, 'exited', new Error(`worker ${target.name} exited before it answered`));
    };
    unsubscribes.push(target.listen(onMessage, onGone));
    try {
      target.ask(request, (error) => {
        leaveOut(index, 'failed', asError(error, `worker ${target.name} could not be asked`));
      });
    } catch (error) {
      leaveOut(index, 'failed', asError(error, `worker ${target.name} could not be asked`));
    }
  });

  if (remaining === 0) finish();
  else if (!finished) {
    timer = timers.setTimeout(() => {
      timer = undefined;
      targets.forEach((target, index) => {
        leaveOut(
          index,
          'timeout',
          new Error(
            `worker ${target.name} did not answer within ${timeout} ms; left out of this scrape`,
          ),
        );
      });
      finish();
    }, timeout);
  }

  return {
    answers: promise,
    abort(error) {
      if (finished) return;
      stop();
      reject(error);
    },
  };
}

function asError(error: unknown, context: string): Error {
  if (error instanceof Error) return error;
  return new Error(`${context}: ${String(error)}`);
}
