import type { Clock, TimerHandle, Timers } from '@vigil/core';
import { MAX_TIMER_DELAY } from '@vigil/core/options';
import type { Attempt } from './attempt.js';
import { DelayHeap } from './delay-heap.js';
import type { Job } from './job.js';
import type { Lane } from './lane.js';
import { effectivePriority } from './ready-queue.js';

/** @internal What the scheduler asks of the runner. */
export interface SchedulerHost {
  /** Makes an attempt of `job` starting at `now`, whose slot the scheduler has taken; the scheduler starts it. */
  attempt(job: Job, lane: Lane, now: number): Attempt;
  /** Nothing queued and nothing running any more. */
  drained(): void;
}

/**
 * @internal Decides which job starts next. Jobs wait in their type's ready queue, or in one
 * delay heap until their `runAt`; `pump()` starts the best ready jobs while the runner-wide and
 * per-type limits, the breakers and the rate windows allow. Highest effective priority first
 * (priority plus aging), then oldest. One timer, for the earliest delayed job or rate-limit wait.
 */
export class JobScheduler {
  readonly #lanes: readonly Lane[];
  readonly #byType: ReadonlyMap<string, Lane>;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #aging: number;
  readonly #concurrency: number;
  readonly #host: SchedulerHost;
  readonly #delayed = new DelayHeap();
  #running = 0;
  #seq = 0;
  #wakeAt = Number.POSITIVE_INFINITY;
  #wake: TimerHandle | undefined;
  #pumping = false;
  #stopped = false;
  #idle: (() => void)[] = [];

  constructor(
    lanes: readonly Lane[],
    settings: { clock: Clock; timers: Timers; aging: number; concurrency: number },
    host: SchedulerHost,
  ) {
    this.#lanes = lanes;
    this.#byType = new Map(lanes.map((lane) => [lane.name, lane]));
    this.#clock = settings.clock;
    this.#timers = settings.timers;
    this.#aging = settings.aging;
    this.#concurrency = settings.concurrency;
    this.#host = host;
  }

  /** Attempts running (overdue ones included). */
  get running(): number {
    return this.#running;
  }

  /** Jobs waiting, ready or delayed. */
  get queued(): number {
    let queued = this.#delayed.size;
    for (const lane of this.#lanes) queued += lane.ready.size;
    return queued;
  }

  /** Queues a job: ready now, or delayed until its `runAt`. */
  add(job: Job, lane: Lane, front = false): void {
    if (!front) job.seq = this.#seq++;
    // A new job without a delay was made just now: no need to read the clock again.
    const now =
      job.attempts === 0 && job.runAt === job.enqueuedAt ? job.enqueuedAt : this.#clock.now();
    if (job.runAt > now) {
      lane.delayed++;
      this.#delayed.push(job);
      this.#armWake(job.runAt, now);
      return;
    }
    job.readyAt = front ? job.readyAt : now;
    if (front) lane.ready.unshift(job);
    else lane.ready.push(job);
    // Nothing can start while every slot is taken; a freed slot pumps.
    if (this.#running < this.#concurrency) this.pump();
  }

  /** Starts jobs while limits allow. Re-entrant calls (a handler queuing a job) return at once. */
  pump(): void {
    if (this.#pumping || this.#stopped) return;
    this.#pumping = true;
    try {
      const now = this.#clock.now();
      this.#promote(now);
      let wakeAt = Number.POSITIVE_INFINITY;
      while (this.#running < this.#concurrency) {
        let best: Job | undefined;
        let bestLane: Lane | undefined;
        let bestScore = Number.NEGATIVE_INFINITY;
        for (const lane of this.#lanes) {
          if (lane.ready.size === 0 || lane.running.size >= lane.config.concurrency) continue;
          if (!lane.breakerAllows()) continue;
          if (lane.rate !== undefined) {
            const allowedAt = lane.rate.allowedAt(now);
            if (allowedAt > now) {
              if (allowedAt < wakeAt) wakeAt = allowedAt;
              continue;
            }
          }
          const head = lane.ready.peek(now, this.#aging) as Job;
          if (this.#lanes.length === 1) {
            best = head;
            bestLane = lane;
            break;
          }
          const score = effectivePriority(head, now, this.#aging);
          if (
            score > bestScore ||
            (score === bestScore && best !== undefined && head.seq < best.seq)
          ) {
            best = head;
            bestLane = lane;
            bestScore = score;
          }
        }
        if (best === undefined || bestLane === undefined) break;
        bestLane.ready.take(best);
        bestLane.rate?.record(now);
        this.#running++;
        // Counted as running before it starts: a handler that throws at once releases its slot
        // within start().
        const attempt = this.#host.attempt(best, bestLane, now);
        bestLane.running.add(attempt);
        void attempt.start();
      }
      if (wakeAt !== Number.POSITIVE_INFINITY) this.#armWake(wakeAt, now);
    } finally {
      this.#pumping = false;
    }
  }

  /** An attempt's handler settled: its slot is free. */
  release(attempt: Attempt): void {
    if (!attempt.lane.running.delete(attempt)) return;
    this.#running--;
    this.pump();
    if (this.#running === 0) {
      const idle = this.#idle;
      this.#idle = [];
      for (const resolve of idle) resolve();
      if (this.queued === 0) this.#host.drained();
    }
  }

  /** Resolves once no attempt is running. */
  whenIdle(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Wakes the scheduler at `at` (a breaker's half-open time), keeping the process alive till then. */
  wakeAt(at: number): void {
    this.#armWake(at, this.#clock.now());
  }

  /** Stops starting jobs and takes every queued one out. */
  stop(): Job[] {
    this.#stopped = true;
    this.#clearWake();
    const jobs: Job[] = this.#delayed.drain();
    for (const lane of this.#lanes) {
      lane.delayed = 0;
      jobs.push(...lane.ready.drain());
    }
    return jobs;
  }

  /** Moves delayed jobs whose time came into their ready queues, and re-arms the timer. */
  #promote(now: number): void {
    const delayed = this.#delayed;
    for (
      let next = delayed.peek();
      next !== undefined && next.runAt <= now;
      next = delayed.peek()
    ) {
      delayed.pop();
      const lane = this.#laneOf(next);
      lane.delayed--;
      next.readyAt = now;
      lane.ready.push(next);
    }
    const next = delayed.peek();
    if (next !== undefined) this.#armWake(next.runAt, now);
  }

  #laneOf(job: Job): Lane {
    return this.#byType.get(job.type) as Lane;
  }

  #armWake(at: number, now: number): void {
    if (this.#stopped || at >= this.#wakeAt) return;
    this.#clearWake();
    this.#wakeAt = at;
    // A wake past Node's longest timer comes early and re-arms: never a 1 ms busy loop.
    this.#wake = this.#timers.setTimeout(
      this.#onWake,
      Math.min(MAX_TIMER_DELAY, Math.max(0, at - now)),
    );
  }

  #clearWake(): void {
    if (this.#wake !== undefined) this.#timers.clearTimeout(this.#wake);
    this.#wake = undefined;
    this.#wakeAt = Number.POSITIVE_INFINITY;
  }

  readonly #onWake = (): void => {
    this.#wake = undefined;
    this.#wakeAt = Number.POSITIVE_INFINITY;
    this.pump();
  };
}
