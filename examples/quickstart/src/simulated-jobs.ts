import type { Registry } from '@vigil/core';
import { type JobContext, JobRunner, type JobTypes } from '@vigil/jobs';

/**
 * When the dead letters are replayed, in seconds since the start: the partner is back at 6 s and
 * the breaker closes at its next probe, within a second.
 */
const REPLAY_AT = 7.5;

/** One job of each type is submitted every so many ms, the first after `FIRST` ms. */
const EVERY = { 'send-email': 250, 'export-data': 1000, 'sync-partner': 200 } as const;
type DemoType = keyof typeof EVERY;
// An export runs 0.8 s of every second: half a second late, the live table, drawn on the
// second, shows one half done.
const FIRST: Record<DemoType, number> = { 'send-email': 0, 'export-data': 500, 'sync-partner': 0 };

/** Failed attempts in a row that open the partner sync's breaker. */
const FAILURE_THRESHOLD = 8;

/** A type's latest progress report. */
export interface JobProgress {
  readonly fraction: number;
  readonly message: string | undefined;
}

/** How the replay of the dead letters went: letters replayed, and how their jobs ended. */
export interface ReplayStatus {
  replayed: number;
  succeeded: number;
  failed: number;
}

/** What the live table shows besides the metrics: progress by type, and the replay. */
export interface JobActivity {
  readonly progress: Record<string, JobProgress>;
  replay: ReplayStatus | undefined;
}

/** The demo's job types: two that report progress, and one that needs the partner. */
function jobTypes(partnerAvailable: () => boolean) {
  return {
    'send-email': {
      concurrency: 2,
      priority: 'high',
      handler: async (payload: { to: string }, context: JobContext) => {
        await delay(20, context.signal);
        context.progress(0.5, 'rendered');
        await delay(20, context.signal);
        context.progress(1, 'sent');
        return { to: payload.to };
      },
    },
    'export-data': {
      concurrency: 1,
      priority: 'low',
      timeout: '2s',
      handler: async (payload: { table: string; rows: number }, context: JobContext) => {
        for (let step = 1; step <= 8; step++) {
          await delay(100, context.signal);
          context.progress(step / 8, `rows ${(payload.rows * step) / 8}/${payload.rows}`);
        }
        return { table: payload.table, rows: payload.rows };
      },
    },
    'sync-partner': {
      concurrency: 2,
      // No jitter, so that the demo tells the same story on every run.
      retry: { maxAttempts: 2, initialDelay: 100, jitter: 'none' },
      breaker: { failureThreshold: FAILURE_THRESHOLD, resetTimeout: '1s' },
      handler: async (payload: { account: string }, context: JobContext) => {
        await delay(30, context.signal);
        if (!partnerAvailable()) throw new Error('partner down');
        return { account: payload.account, synced: true };
      },
    },
  } satisfies JobTypes;
}

type DemoJobTypes = ReturnType<typeof jobTypes>;

/**
 * Pretend background work on a `JobRunner` (memory backend): e-mails and exports that report
 * their progress, and a partner sync that fails while the partner is down. The syncs that fail
 * both attempts go to the dead-letter queue; after eight failed attempts in a row the type's
 * breaker opens, and its jobs then wait in the queue instead of spending attempts (one probe a
 * second). Once the partner is back, a probe succeeds, the breaker closes, the waiting jobs run,
 * and at 7.5 s the dead letters are replayed. Notable moments go to a log (`takeLog()`).
 */
export class SimulatedJobs {
  readonly runner: JobRunner<DemoJobTypes>;
  readonly activity: JobActivity = { progress: {}, replay: undefined };
  readonly #startedAt: number;
  readonly #now: () => number;
  readonly #partnerAvailable: () => boolean;
  readonly #submitted: Record<DemoType, number> = {
    'send-email': 0,
    'export-data': 0,
    'sync-partner': 0,
  };
  /** The account each partner sync is for, by job id, for the log. */
  readonly #accounts = new Map<string, string>();
  /** Ids of replayed letters whose jobs have not finished yet. */
  readonly #replaying = new Set<string>();
  #replayStarted = false;
  #replaySubmitted = false;
  #partnerWasAvailable = true;
  /** The partner sync's breaker as last logged: open or closed (half-open is not logged). */
  #breakerLogged: 'open' | 'closed' = 'closed';
  /** Partner syncs waiting at the previous tick. */
  #syncWaiting = 0;
  #log: string[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(
    registry: Registry,
    partnerAvailable: () => boolean,
    now: () => number = () => Date.now(),
  ) {
    this.#partnerAvailable = partnerAvailable;
    this.runner = new JobRunner({
      registry,
      concurrency: 4,
      types: jobTypes(partnerAvailable),
    });
    this.#startedAt = now();
    this.#now = now;
    this.runner.on('progress', ({ type, fraction, message }) => {
      this.activity.progress[type] = { fraction, message };
    });
    this.runner.on('dead-lettered', ({ jobId, type, attempts, error }) => {
      const account = this.#accounts.get(jobId) ?? jobId;
      const reason = error instanceof Error ? error.message : String(error);
      if (this.#replaying.delete(jobId)) {
        (this.activity.replay as ReplayStatus).failed++;
        this.#replayFinished();
      }
      this.#note(`${type}: ${account} dead-lettered after ${attempts} attempts (${reason})`);
    });
    this.runner.on('completed', ({ jobId, type }) => {
      if (type === 'sync-partner') this.#accounts.delete(jobId);
      if (this.#replaying.delete(jobId)) {
        (this.activity.replay as ReplayStatus).succeeded++;
        this.#replayFinished();
      }
    });
  }

  start(): void {
    this.#timer = setInterval(() => this.#tick(), 50);
    this.#timer.unref();
  }

  /** Stops submitting, then closes the runner: running jobs finish, queued ones are dropped. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.runner.close({ timeout: '1s' });
  }

  /** The log lines noted since the previous call. */
  takeLog(): string[] {
    const lines = this.#log;
    this.#log = [];
    return lines;
  }

  #tick(): void {
    const elapsed = this.#now() - this.#startedAt;
    for (const type of Object.keys(EVERY) as DemoType[]) {
      while (FIRST[type] + this.#submitted[type] * EVERY[type] <= elapsed) this.#submit(type);
    }
    const available = this.#partnerAvailable();
    if (available !== this.#partnerWasAvailable) {
      this.#partnerWasAvailable = available;
      this.#note(available ? 'the partner is back' : 'the partner is down');
    }
    // The runner has no breaker event: its state is read from the stats.
    const sync = this.runner.stats()['sync-partner'];
    const breaker = sync?.breaker;
    if ((breaker === 'open' || breaker === 'closed') && breaker !== this.#breakerLogged) {
      this.#breakerLogged = breaker;
      this.#note(
        breaker === 'open'
          ? `sync-partner: breaker open after ${FAILURE_THRESHOLD} failed attempts in a row; its jobs wait in the queue`
          : `sync-partner: breaker closed after a successful probe; the ${this.#syncWaiting} jobs that waited run`,
      );
    }
    this.#syncWaiting = sync?.queued ?? 0;
    if (!this.#replayStarted && elapsed >= REPLAY_AT * 1000) {
      this.#replayStarted = true;
      this.#replay().catch((error: unknown) => this.#note(`replay failed: ${String(error)}`));
    }
  }

  #submit(type: DemoType): void {
    const n = ++this.#submitted[type];
    if (type === 'send-email') this.runner.run(type, { to: `user${n}@example.com` });
    else if (type === 'export-data') this.runner.run(type, { table: 'orders', rows: 8000 });
    else {
      const account = `acct-${n}`;
      this.#accounts.set(this.runner.run(type, { account }).id, account);
    }
  }

  /** Replays every dead letter of the partner sync, one by one. */
  async #replay(): Promise<void> {
    const letters = this.runner.deadLetters;
    const { letters: page } = await letters.list({ type: 'sync-partner' });
    this.#note(`replaying the ${page.length} dead letters of sync-partner`);
    this.activity.replay = { replayed: 0, succeeded: 0, failed: 0 };
    for (const letter of page) {
      this.#replaying.add(letter.id);
      await letters.replay(letter.id);
      this.activity.replay.replayed++;
    }
    this.#replaySubmitted = true;
    this.#replayFinished();
  }

  #replayFinished(): void {
    const status = this.activity.replay;
    if (!this.#replaySubmitted || this.#replaying.size !== 0 || status === undefined) return;
    this.#note(`replay: ${status.succeeded} of ${status.replayed} dead letters succeeded`);
  }

  #note(line: string): void {
    const seconds = (this.#now() - this.#startedAt) / 1000;
    this.#log.push(`  [${seconds.toFixed(1)} s] ${line}`);
  }
}

/** Waits `ms` on the global timers (so that fake timers apply), or until `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
