import { ConfigurationError } from '@vigil/core';
import { type ResolvedStoreOptions, resolveStoreOptions } from '../adapter/resolve-options.js';
import { startSweeper } from '../adapter/sweeper.js';
import type { DeadLetterStore } from '../dead-letter-store.js';
import { StoreError } from '../errors.js';
import type { IdempotencyStore } from '../idempotency-store.js';
import type { LeaseStore } from '../lease-store.js';
import type { RecordStore } from '../record-store.js';
import type { Store, StoreOptions } from '../store.js';
import type { Corrupter } from '../testing/contract-subject.js';
import type { TimeSeriesStore } from '../time-series-store.js';
import { MEMORY_CORRUPTER, memoryCorrupter } from './memory-corrupter.js';
import { MemoryDeadLetters } from './memory-dead-letters.js';
import { MemoryIdempotency } from './memory-idempotency.js';
import { MemoryLeases } from './memory-leases.js';
import { MemoryRecords } from './memory-records.js';
import { MemoryTimeSeries } from './memory-time-series.js';

/** Options of `MemoryStore`: the common `StoreOptions` and the memory bounds. */
export interface MemoryStoreOptions extends StoreOptions {
  /**
   * Raw series points kept in total; default 1,000,000. An append that passes it drops the oldest
   * points of the whole store (by timestamp, across series), counted in `stats().droppedPoints`.
   */
  readonly maxPoints?: number;
  /**
   * Records kept in total; default 100,000. Writing a new key into a full store removes expired
   * records, then evicts the least recently written one (`stats().evictedRecords`).
   */
  readonly maxRecords?: number;
  /** Idempotency keys kept; default 100,000; same policy as `maxRecords`. */
  readonly maxIdempotencyKeys?: number;
}

/** What a `MemoryStore` holds, for tests and dashboards. */
export interface MemoryStoreStats {
  readonly series: number;
  readonly points: number;
  readonly records: number;
  readonly deadLetters: number;
  readonly idempotencyKeys: number;
  readonly leases: number;
  /** Series points dropped by `maxPoints`. */
  readonly droppedPoints: number;
  /** Dead letters dropped by `maxDeadLetters`. */
  readonly droppedDeadLetters: number;
  readonly evictedRecords: number;
  readonly evictedIdempotencyKeys: number;
}

const OWN_OPTIONS = ['maxPoints', 'maxRecords', 'maxIdempotencyKeys'];

/**
 * Every store in memory, bounded: the default for one process without durability, and the test
 * double for code that takes a `Store`. A background sweep (unref()ed, every `sweepInterval`)
 * removes points older than `retention` and expired records and idempotency keys.
 */
export class MemoryStore implements Store {
  readonly timeSeries: TimeSeriesStore;
  readonly records: RecordStore;
  readonly deadLetters: DeadLetterStore;
  readonly idempotency: IdempotencyStore;
  readonly leases: LeaseStore;
  readonly #parts: {
    readonly timeSeries: MemoryTimeSeries;
    readonly records: MemoryRecords;
    readonly deadLetters: MemoryDeadLetters;
    readonly idempotency: MemoryIdempotency;
    readonly leases: MemoryLeases;
  };
  readonly #options: ResolvedStoreOptions;
  readonly #stopSweeper: () => Promise<void>;
  #closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.#options = resolveStoreOptions(
      'MemoryStore',
      options as MemoryStoreOptions & Record<string, unknown>,
      OWN_OPTIONS,
    );
    const clock = this.#options.clock;
    const assertOpen = () => {
      if (this.#closed) {
        throw new StoreError('STORE_UNAVAILABLE', 'MemoryStore is closed; create a new one');
      }
    };
    this.#parts = {
      timeSeries: new MemoryTimeSeries(positive(options, 'maxPoints', 1_000_000), assertOpen),
      records: new MemoryRecords(clock, positive(options, 'maxRecords', 100_000), assertOpen),
      deadLetters: new MemoryDeadLetters(clock, this.#options.maxDeadLetters, assertOpen),
      idempotency: new MemoryIdempotency(
        clock,
        positive(options, 'maxIdempotencyKeys', 100_000),
        assertOpen,
      ),
      leases: new MemoryLeases(clock, assertOpen),
    };
    ({
      timeSeries: this.timeSeries,
      records: this.records,
      deadLetters: this.deadLetters,
      idempotency: this.idempotency,
      leases: this.leases,
    } = this.#parts);
    this.#stopSweeper = startSweeper(
      this.#options.sweepIntervalMs,
      () => this.sweep(),
      this.#options.onError,
    );
  }

  /**
   * Runs the sweep now (it also runs every `sweepInterval`): removes points older than
   * `retention` and expired records and idempotency keys. Returns how many raw points went.
   */
  async sweep(): Promise<number> {
    if (this.#closed) return 0;
    this.#parts.records.sweep();
    this.#parts.idempotency.sweep();
    const retention = this.#options.retentionMs;
    if (retention === undefined) return 0;
    return this.#parts.timeSeries.deleteBefore(this.#options.clock.now() - retention);
  }

  stats(): MemoryStoreStats {
    const parts = this.#parts;
    return {
      series: parts.timeSeries.series,
      points: parts.timeSeries.points,
      records: parts.records.size,
      deadLetters: parts.deadLetters.size,
      idempotencyKeys: parts.idempotency.size,
      leases: parts.leases.size,
      droppedPoints: parts.timeSeries.dropped,
      droppedDeadLetters: parts.deadLetters.dropped(),
      evictedRecords: parts.records.evicted,
      evictedIdempotencyKeys: parts.idempotency.evicted,
    };
  }

  /** Stops the sweep; later calls reject with `STORE_UNAVAILABLE`. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#stopSweeper();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Test-only hook (see `corruptMemoryStore` in `@vigil/storage/testing`). */
  [MEMORY_CORRUPTER](): Corrupter {
    return memoryCorrupter(this.#parts);
  }
}

function positive(options: MemoryStoreOptions, name: keyof MemoryStoreOptions, fallback: number) {
  const value = options[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `MemoryStore: ${name} should be a positive integer, got ${String(options[name])}`,
    );
  }
  return value;
}
