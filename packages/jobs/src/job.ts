import type { AttemptRecord, StoredJob } from './backend.js';
import type { JobHandle } from './job-handle.js';

/** The history of a job that has not failed yet: one shared empty array. */
const NO_ATTEMPTS: readonly AttemptRecord[] = Object.freeze([]);

/**
 * @internal A job while the runner holds it: its stored state, its place in a queue, its running
 * attempt and whoever waits for its result. Mutable, one object per job for its whole life.
 */
export class Job implements StoredJob {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  readonly priority: number;
  readonly enqueuedAt: number;
  readonly idempotencyKey: string | undefined;
  runAt: number;
  attempts = 0;
  previousDelay = 0;
  history: readonly AttemptRecord[] = NO_ATTEMPTS;
  replays: number;
  /** FIFO order within a priority. */
  seq = 0;
  /** When the job entered the ready queue: wait time and aging count from it. */
  readyAt: number;
  /** The next job in the same ready bucket. */
  next: Job | undefined = undefined;
  /** Where the job sits in the delay heap, -1 when not there. */
  heapIndex = -1;
  /** Who waits for the result: one handle, several (idempotent callers), or nobody. */
  handles: JobHandle | JobHandle[] | undefined = undefined;
  /** When the latest attempt started, ms since the epoch (the runner's clock). */
  startedAt: number;

  constructor(
    id: string,
    type: string,
    payload: unknown,
    priority: number,
    enqueuedAt: number,
    runAt: number,
    idempotencyKey: string | undefined,
    replays = 0,
  ) {
    this.id = id;
    this.type = type;
    this.payload = payload;
    this.priority = priority;
    this.enqueuedAt = enqueuedAt;
    this.runAt = runAt;
    this.idempotencyKey = idempotencyKey;
    this.replays = replays;
    // Set from the start to the times they will hold (doubles, not small integers), so that V8
    // never has to change the shape of every queued job when the first one starts.
    this.readyAt = runAt;
    this.startedAt = enqueuedAt;
  }

  /** undefined until stored; null once stored; else the error that refused it. */
  acceptance: unknown = undefined;

  /** Attaches a caller waiting for the result (told at once if the job is already stored). */
  watch(handle: JobHandle): void {
    if (this.acceptance !== undefined) handle.acknowledge(this.acceptance ?? undefined);
    if (this.handles === undefined) this.handles = handle;
    else if (Array.isArray(this.handles)) this.handles.push(handle);
    else this.handles = [this.handles, handle];
  }

  /** Tells every waiting caller that the job is stored (`error` undefined) or could not be. */
  acknowledge(error?: unknown): void {
    if (this.acceptance !== undefined) return;
    this.acceptance = error === undefined ? null : error;
    const handles = this.handles;
    if (handles === undefined) return;
    if (Array.isArray(handles)) for (const handle of handles) handle.acknowledge(error);
    else handles.acknowledge(error);
  }

  /** Settles every waiting caller. */
  settle(ok: boolean, value: unknown): void {
    const handles = this.handles;
    if (handles === undefined) return;
    this.handles = undefined;
    if (Array.isArray(handles)) for (const handle of handles) handle.settle(ok, value);
    else handles.settle(ok, value);
  }
}
