import type { CounterChild, GaugeChild, HistogramChild, Registry } from '@vigil/core';
import { BREAKER_STATE_VALUE, type BreakerState } from '@vigil/resilience';
import type { QueueBacklog } from './lane.js';

/** Buckets for job waits and runs, in seconds: 1 ms to 10 min. */
const JOB_BUCKETS = [
  0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
] as const;

/** The lanes of every open runner, by the registry they report to. */
const RUNNERS = new WeakMap<Registry, Set<Map<string, LaneGauges>>>();

/** What a lane's metrics are read from at scrape time. */
export interface LaneGauges {
  readonly queued: () => number;
  readonly running: () => number;
  /** The breaker's state; undefined without a breaker. */
  readonly breaker: () => BreakerState | undefined;
  /** A shared queue's counts of the type, queue-wide, read again (cached) before a scrape. */
  readonly backlog?: (() => Promise<QueueBacklog | undefined>) | undefined;
}

const BACKLOG_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;

/**
 * @internal The runner's metrics, bound per type once so that recording is a field update:
 * `vigil_jobs_total{type,outcome}`, `vigil_jobs_queued{type}`, `vigil_jobs_running{type}`,
 * `vigil_jobs_wait_seconds{type}`, `vigil_jobs_duration_seconds{type}`,
 * `vigil_jobs_dead_letters{type}`, `vigil_jobs_breaker_state{type}`. Queued, running and the
 * breakers' states are read at scrape time, never per job (so the breakers themselves keep no
 * metrics and stay on their fast path).
 */
export class JobMetrics {
  readonly #lanes = new Map<string, LaneGauges>();
  readonly #runners: Set<Map<string, LaneGauges>>;
  readonly #outcomes;
  readonly #wait;
  readonly #duration;
  readonly #deadLetters;
  readonly #backendUp;

  constructor(registry: Registry) {
    // Every runner on one registry shares its gauges (registered once): each scrape reads the
    // lanes of every open runner.
    let runners = RUNNERS.get(registry);
    if (runners === undefined) {
      runners = new Set();
      RUNNERS.set(registry, runners);
    }
    runners.add(this.#lanes);
    this.#runners = runners;
    this.#outcomes = registry.counter({
      name: 'vigil_jobs_total',
      help: 'Job attempts and jobs by outcome: completed, failed (an attempt failed), timed_out (an attempt ran past its timeout; also failed), retried, dead_lettered, recovered (run again after its worker stopped: perhaps twice).',
      labelNames: ['type', 'outcome'],
    });
    const lanes = {
      *[Symbol.iterator](): IterableIterator<[string, LaneGauges]> {
        for (const runner of runners as Set<Map<string, LaneGauges>>) yield* runner;
      },
    };
    // A shared queue's counts are read from Redis once per scrape (cached by the engine): both
    // gauges below wait for the same read.
    // Synchronous unless a shared queue is there, so that snapshots of local runners stay exact.
    const backlogs = (): Promise<unknown> | undefined => {
      let reads: Promise<unknown>[] | undefined;
      for (const [, lane] of lanes)
        if (lane.backlog !== undefined) (reads ??= []).push(lane.backlog());
      return reads === undefined ? undefined : Promise.all(reads);
    };
    registry.gauge({
      name: 'vigil_jobs_queued',
      help: 'Jobs waiting to start, delayed ones included, by type (with a shared queue: queue-wide).',
      labelNames: ['type'],
      collect(gauge) {
        const set = (): void => {
          for (const [type, lane] of lanes) gauge.labels({ type }).set(lane.queued());
        };
        const reading = backlogs();
        if (reading === undefined) return set();
        return reading.then(set);
      },
    });
    registry.gauge({
      name: 'vigil_jobs_queue_jobs',
      help: 'Jobs of a shared queue (BullMQ) by state, queue-wide: waiting, delayed, active, failed.',
      labelNames: ['type', 'state'],
      async collect(gauge) {
        for (const [type, lane] of lanes) {
          if (lane.backlog === undefined) continue;
          const backlog = await lane.backlog();
          if (backlog === undefined) continue;
          for (const state of BACKLOG_STATES) gauge.labels({ type, state }).set(backlog[state]);
        }
      },
    });
    registry.gauge({
      name: 'vigil_jobs_running',
      help: 'Jobs running, by type (a timed-out handler that has not settled still holds its slot).',
      labelNames: ['type'],
      collect(gauge) {
        for (const [type, lane] of lanes) gauge.labels({ type }).set(lane.running());
      },
    });
    registry.gauge({
      name: 'vigil_jobs_breaker_state',
      help: 'State of each job type circuit breaker: 0 closed, 1 half-open, 2 open, 3 isolated.',
      labelNames: ['type'],
      collect(gauge) {
        for (const [type, lane] of lanes) {
          const state = lane.breaker();
          if (state !== undefined) gauge.labels({ type }).set(BREAKER_STATE_VALUE[state]);
        }
      },
    });
    this.#wait = registry.histogram({
      name: 'vigil_jobs_wait_seconds',
      help: 'Time from a job being ready (queued, or its delay over) to its attempt starting.',
      labelNames: ['type'],
      unit: 'seconds',
      buckets: JOB_BUCKETS,
    });
    this.#duration = registry.histogram({
      name: 'vigil_jobs_duration_seconds',
      help: 'Duration of job attempts, by type.',
      labelNames: ['type'],
      unit: 'seconds',
      buckets: JOB_BUCKETS,
    });
    this.#backendUp = registry.gauge({
      name: 'vigil_jobs_backend_up',
      help: 'Whether a shared queue backend (BullMQ) reaches its server: 1 up, 0 down.',
      labelNames: ['backend'],
    });
    this.#deadLetters = registry.gauge({
      name: 'vigil_jobs_dead_letters',
      help: 'Letters in the dead-letter queue, by type.',
      labelNames: ['type'],
    });
  }

  /** Binds one type's series. */
  lane(type: string, gauges: LaneGauges): LaneMetrics {
    this.#lanes.set(type, gauges);
    const outcome = (name: string): CounterChild => this.#outcomes.labels({ type, outcome: name });
    return {
      completed: outcome('completed'),
      failed: outcome('failed'),
      timedOut: outcome('timed_out'),
      retried: outcome('retried'),
      deadLettered: outcome('dead_lettered'),
      recovered: outcome('recovered'),
      wait: this.#wait.labels({ type }),
      duration: this.#duration.labels({ type }),
      deadLetters: this.#deadLetters.labels({ type }),
    };
  }

  /** A shared queue's connection went down or came back. */
  backendUp(backend: string, up: boolean): void {
    this.#backendUp.labels({ backend }).set(up ? 1 : 0);
  }

  /** Keeps this runner's types out of later scrapes of the gauges (at `close()`). */
  unbind(): void {
    this.#runners.delete(this.#lanes);
  }
}

/** @internal One type's bound series. */
export interface LaneMetrics {
  readonly completed: CounterChild;
  readonly failed: CounterChild;
  readonly timedOut: CounterChild;
  readonly retried: CounterChild;
  readonly deadLettered: CounterChild;
  readonly recovered: CounterChild;
  readonly wait: HistogramChild;
  readonly duration: HistogramChild;
  readonly deadLetters: GaugeChild;
}
