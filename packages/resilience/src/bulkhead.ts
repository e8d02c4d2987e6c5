import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type CounterChild,
  type GaugeChild,
  type OnError,
  type Registry,
} from '@vigil/core';
import {
  checkOptionsObject,
  optionalInteger,
  optionalOnError,
  optionalRegistry,
  required,
} from '@vigil/core/options';
import { EventEmitter } from 'eventemitter3';
import { abortedError, NEVER_ABORTED } from './abort.js';
import { emitReporting } from './emit-reporting.js';
import { BulkheadFullError } from './errors.js';
import { invoke, type Link, type Policy, RUN, type Runnable, type Task } from './policy.js';
import { policyName } from './policy-name.js';

/** Options of `bulkhead()` / `new Bulkhead()`. */
export interface BulkheadOptions {
  /** How many calls may run at once; a positive integer. */
  concurrency: number;
  /** How many calls may wait for a slot, first in first out; default 0 (reject at once). */
  queue?: number | undefined;
  /** Names the policy in the `policy` metric label; required with `registry`. */
  name?: string | undefined;
  /**
   * Keep `vigil_bulkhead_rejected_total`, `vigil_bulkhead_active` and `vigil_bulkhead_queued`
   * in this registry.
   */
  registry?: Registry | undefined;
  /**
   * Where a throwing event listener is reported, as `(error, { source, operation })`; the call
   * keeps its own result. Default: one `VigilWarning` (`VIGIL_BACKGROUND_ERROR`) per event.
   */
  onError?: OnError | undefined;
}

/** Events of a `Bulkhead`. */
export interface BulkheadEvents {
  /** A call was rejected with `BulkheadFullError`. */
  rejected: [event: { error: BulkheadFullError }];
}

/** A call waiting for a slot; a doubly linked list so that an abort unlinks it in O(1). */
interface Waiter {
  resolve(): void;
  signal: AbortSignal;
  onAbort: (() => void) | undefined;
  prev: Waiter | undefined;
  next: Waiter | undefined;
}

const OWNER = 'Bulkhead';
const KEYS = ['concurrency', 'queue', 'name', 'registry', 'onError'] as const;

/**
 * Limits how many calls run at once, with a bounded first-in-first-out queue behind; past the
 * queue cap calls are rejected with `BulkheadFullError`. A queued call whose signal aborts
 * leaves the queue with `AbortedError`.
 */
export class Bulkhead extends EventEmitter<BulkheadEvents> implements Policy, Runnable {
  /** The policy's name, from the options. */
  readonly name: string | undefined;
  readonly concurrency: number;
  /** The queue cap. */
  readonly queue: number;
  readonly #rejectedTotal: CounterChild | undefined;
  readonly #activeGauge: GaugeChild | undefined;
  readonly #queuedGauge: GaugeChild | undefined;
  readonly #report: BackgroundErrorReporter;
  #active = 0;
  #queued = 0;
  #head: Waiter | undefined;
  #tail: Waiter | undefined;

  constructor(options: BulkheadOptions) {
    super();
    const fields = checkOptionsObject(OWNER, options, KEYS, { required: true });
    const registry = optionalRegistry<Registry>(OWNER, 'registry', fields['registry']);
    this.name = policyName(OWNER, fields['name'], registry !== undefined);
    this.concurrency = required(
      OWNER,
      'concurrency',
      optionalInteger(OWNER, 'concurrency', fields['concurrency'], { min: 1 }),
      'how many calls may run at once, such as 10',
    );
    this.queue = optionalInteger(OWNER, 'queue', fields['queue'], { min: 0 }) ?? 0;
    this.#report = backgroundErrorReporter(
      OWNER,
      optionalOnError(OWNER, 'onError', fields['onError']),
    );
    if (registry !== undefined) {
      const policy = this.name as string;
      this.#rejectedTotal = registry
        .counter({
          name: 'vigil_bulkhead_rejected_total',
          help: 'Calls a bulkhead rejected because its slots and queue were full.',
          labelNames: ['policy'],
        })
        .labels({ policy });
      this.#activeGauge = registry
        .gauge({
          name: 'vigil_bulkhead_active',
          help: 'Calls running in a bulkhead.',
          labelNames: ['policy'],
        })
        .labels({ policy });
      this.#queuedGauge = registry
        .gauge({
          name: 'vigil_bulkhead_queued',
          help: 'Calls waiting in a bulkhead queue.',
          labelNames: ['policy'],
        })
        .labels({ policy });
    }
  }

  /** Calls running now. */
  get active(): number {
    return this.#active;
  }

  /** Calls waiting for a slot now. */
  get queued(): number {
    return this.#queued;
  }

  /** Runs `fn` when a slot is free; rejects with `BulkheadFullError` when the queue is full too. */
  execute<T>(fn: Task<T>, signal: AbortSignal = NEVER_ABORTED): Promise<T> {
    return this[RUN](fn, signal, null) as Promise<T>;
  }

  /** @internal */
  async [RUN](fn: Task<unknown>, signal: AbortSignal, next: Link | null): Promise<unknown> {
    if (signal.aborted) throw abortedError(signal);
    if (this.#active < this.concurrency) {
      this.#active++;
      this.#activeGauge?.set(this.#active);
    } else {
      // The slot is handed over by the call that frees it: #active stays the same.
      await this.#wait(signal);
      if (signal.aborted) {
        this.#release();
        throw abortedError(signal);
      }
    }
    try {
      return await invoke(fn, signal, next);
    } finally {
      this.#release();
    }
  }

  #wait(signal: AbortSignal): Promise<void> {
    if (this.#queued >= this.queue) {
      const error = new BulkheadFullError(this.concurrency, this.queue);
      this.#rejectedTotal?.inc();
      if (this.listenerCount('rejected') !== 0) {
        emitReporting(this, this.#report, 'rejected', { error });
      }
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        signal,
        onAbort: undefined,
        prev: this.#tail,
        next: undefined,
      };
      if (signal !== NEVER_ABORTED) {
        waiter.onAbort = () => {
          this.#unlink(waiter);
          reject(abortedError(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      if (this.#tail === undefined) this.#head = waiter;
      else this.#tail.next = waiter;
      this.#tail = waiter;
      this.#queued++;
      this.#queuedGauge?.set(this.#queued);
    });
  }

  #release(): void {
    const waiter = this.#head;
    if (waiter === undefined) {
      this.#active--;
      this.#activeGauge?.set(this.#active);
      return;
    }
    this.#unlink(waiter);
    if (waiter.onAbort !== undefined) waiter.signal.removeEventListener('abort', waiter.onAbort);
    waiter.resolve();
  }

  #unlink(waiter: Waiter): void {
    if (waiter.prev === undefined) this.#head = waiter.next;
    else waiter.prev.next = waiter.next;
    if (waiter.next === undefined) this.#tail = waiter.prev;
    else waiter.next.prev = waiter.prev;
    waiter.prev = undefined;
    waiter.next = undefined;
    this.#queued--;
    this.#queuedGauge?.set(this.#queued);
  }
}

/** A `Bulkhead` with `options`: `bulkhead({ concurrency: 10, queue: 100 })`. */
export function bulkhead(options: BulkheadOptions): Bulkhead {
  return new Bulkhead(options);
}
