import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type Counter,
  type CounterChild,
  type Gauge,
  type Registry,
  type TimerHandle,
} from '@vigil/core';
import { describeValue } from '@vigil/core/options';
import { EventEmitter } from 'eventemitter3';
import type { CacheLike } from './cache-stats.js';
import {
  type HeapUsage,
  type MemoryPressureOptions,
  type PressureConfig,
  pressureConfig,
} from './memory-pressure-options.js';

/** Payload of `purged`: a cache dropped its expired entries. */
export interface PurgedEvent {
  readonly cache: string;
  readonly removed: number;
}

/** A round's heap reading; the payload of `pressure` when `ratio >= threshold`. */
export interface HeapReading extends HeapUsage {
  /** `used / limit`. */
  readonly ratio: number;
  readonly threshold: number;
}

/** Payload of `shrunk`: a cache dropped its least recently used `fraction` under pressure. */
export interface ShrunkEvent {
  readonly cache: string;
  readonly removed: number;
  readonly fraction: number;
}

/** Events of `memoryPressure()`. A listener that throws is reported to `onError`. */
export interface MemoryPressureEvents {
  /** A cache dropped expired entries; not emitted when it had none. */
  purged: [event: PurgedEvent];
  /** Heap use reached the threshold; the caches are shrunk next. */
  pressure: [event: HeapReading];
  /** A cache was shrunk (`removed` may be 0 for an empty cache). */
  shrunk: [event: ShrunkEvent];
}

/** What one round did: the answer of `check()`. */
export interface PressureRound {
  /** Each cache's purge, in the order of `caches`; a cache whose purge threw is left out. */
  readonly purged: readonly PurgedEvent[];
  /** The heap reading; `undefined` when the `heap` function threw or answered nonsense. */
  readonly heap: HeapReading | undefined;
  /** Each cache's shrink; empty below the threshold, and a cache whose shrink threw is left out. */
  readonly shrunk: readonly ShrunkEvent[];
}

/**
 * Watches heap use for a set of caches: every `interval` it purges their expired entries, and
 * when the heap is at or above `threshold` of its limit it shrinks each of them by
 * `shrinkFraction`, least recently used first. It never calls `global.gc()`: V8 collects on its
 * own, and a forced full collection stalls the process for longer than it saves.
 */
export class MemoryPressure extends EventEmitter<MemoryPressureEvents> {
  readonly #config: PressureConfig;
  readonly #report: BackgroundErrorReporter;
  readonly #metrics: PressureMetrics | undefined;
  #timer: TimerHandle | undefined;
  #closed = false;

  /** @internal Use `memoryPressure()`. */
  constructor(options: MemoryPressureOptions) {
    super();
    this.#config = pressureConfig(options);
    this.#report = backgroundErrorReporter('memoryPressure', this.#config.onError);
    const { registry, caches } = this.#config;
    this.#metrics = registry === undefined ? undefined : new PressureMetrics(registry, caches);
    this.#schedule();
  }

  /**
   * Runs one round now: purges every cache, reads the heap, and shrinks every cache when the
   * ratio is at or above the threshold. A cache that throws is reported to `onError` and the
   * others still run; `check()` itself never throws. It works after `close()` too.
   */
  check(): PressureRound {
    const { caches, shrinkFraction: fraction } = this.#config;
    this.#metrics?.recordCheck();
    const purged: PurgedEvent[] = [];
    for (const cache of caches) {
      const removed = this.#attempt(() => cache.purgeStale(), `purge cache '${cache.name}'`);
      if (removed === undefined) continue;
      const event = { cache: cache.name, removed };
      purged.push(event);
      if (removed > 0) this.#emit('purged', event);
    }
    const heap = this.#readHeap();
    const shrunk: ShrunkEvent[] = [];
    if (heap !== undefined && heap.ratio >= heap.threshold) {
      this.#emit('pressure', heap);
      for (const cache of caches) {
        const removed = this.#attempt(() => cache.shrink(fraction), `shrink cache '${cache.name}'`);
        if (removed === undefined) continue;
        const event = { cache: cache.name, removed, fraction };
        shrunk.push(event);
        this.#metrics?.recordShrink(event);
        this.#emit('shrunk', event);
      }
    }
    return { purged, heap, shrunk };
  }

  /** Stops the rounds. Idempotent; `check()` still runs a round on demand. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) this.#config.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #schedule(): void {
    this.#timer = this.#config.timers.setTimeout(() => {
      this.#timer = undefined;
      // `check()` reports each failure itself; this guards the host's event loop against the
      // rest (a broken registry), as a timer callback that throws would crash the process.
      this.#attempt(() => this.check(), 'round');
      if (!this.#closed) this.#schedule();
    }, this.#config.interval);
  }

  #readHeap(): HeapReading | undefined {
    const usage = this.#attempt(() => this.#config.heap(), 'read heap');
    if (usage === undefined) return undefined;
    const { used, limit } = usage;
    // A ratio of NaN would never reach the threshold: a broken `heap` must be seen, not ignored.
    if (!(Number.isFinite(used) && used >= 0 && Number.isFinite(limit) && limit > 0)) {
      const got = describeValue(usage);
      const error = new TypeError(
        `heap() should answer { used, limit } in bytes, with a limit above 0, got ${got}`,
      );
      this.#report(error, 'read heap');
      return undefined;
    }
    const heap = { used, limit, ratio: used / limit, threshold: this.#config.threshold };
    this.#metrics?.recordHeap(heap.ratio);
    return heap;
  }

  /** `work()`'s answer, or `undefined` when it threw (then reported as `operation`). */
  #attempt<T>(work: () => T, operation: string): T | undefined {
    try {
      return work();
    } catch (error) {
      this.#report(error, operation);
      return undefined;
    }
  }

  #emit<K extends keyof MemoryPressureEvents>(event: K, ...args: MemoryPressureEvents[K]): void {
    if (this.listenerCount(event) === 0) return;
    try {
      (this.emit as (event: K, ...args: MemoryPressureEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.#report(error, `'${event}' listener`);
    }
  }
}

/**
 * Starts watching heap use for `caches` (see `MemoryPressure`); the first round runs one
 * interval from now. Call `close()` on shutdown.
 *
 * @throws ConfigurationError `INVALID_OPTION` (`INVALID_DURATION` for `interval`) for a bad option.
 */
export function memoryPressure(options: MemoryPressureOptions): MemoryPressure {
  return new MemoryPressure(options);
}

interface CacheSeries {
  readonly shrinks: CounterChild;
  readonly evicted: CounterChild;
}

/**
 * The metrics of memory pressure. Each cache's series are bound at the start, so they are
 * exported at 0 before the first shrink and `rate()` sees the first one. The heap gauge is
 * registered at the first reading: exported before, it would claim a 0 % heap.
 */
class PressureMetrics {
  readonly #registry: Registry;
  readonly #checks: Counter;
  readonly #caches = new Map<string, CacheSeries>();
  #heapRatio: Gauge | undefined;

  constructor(registry: Registry, caches: readonly CacheLike[]) {
    this.#registry = registry;
    this.#checks = registry.counter({
      name: 'vigil_cache_pressure_checks_total',
      help: 'Memory pressure rounds run (purge, heap reading, shrink when above the threshold).',
    });
    const shrinks = registry.counter({
      name: 'vigil_cache_pressure_shrinks_total',
      help: 'Times memory pressure shrank a cache, by cache.',
      labelNames: ['cache'],
    });
    const evicted = registry.counter({
      name: 'vigil_cache_pressure_evicted_total',
      help: 'Entries memory pressure dropped from a cache by shrinking it, by cache.',
      labelNames: ['cache'],
    });
    for (const { name: cache } of caches) {
      this.#caches.set(cache, {
        shrinks: shrinks.labels({ cache }),
        evicted: evicted.labels({ cache }),
      });
    }
  }

  recordCheck(): void {
    this.#checks.inc();
  }

  recordHeap(ratio: number): void {
    this.#heapRatio ??= this.#registry.gauge({
      name: 'vigil_heap_used_ratio',
      help: 'Heap used against the heap limit, 0 to 1, at the last memory pressure round.',
    });
    this.#heapRatio.set(ratio);
  }

  recordShrink({ cache, removed }: ShrunkEvent): void {
    const series = this.#caches.get(cache);
    series?.shrinks.inc();
    series?.evicted.inc(removed);
  }
}
