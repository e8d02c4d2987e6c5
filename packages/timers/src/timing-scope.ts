import { AsyncLocalStorage } from 'node:async_hooks';
import { checkOptionsObject, optionalInteger } from '@vigil/core/options';

/** One timer started inside a timing scope, recorded when it stopped. */
export interface TimingEntry {
  /** The timer's name: a timer group's `api`, `db` or custom name, a metric's name, or `bindTimer`'s `name`. */
  readonly name: string;
  /** Milliseconds the timer ran. */
  readonly durationMs: number;
  /** True when the timed work failed (threw, rejected, or `fail()` was called). */
  readonly failed: boolean;
  /** Extra context, e.g. a DB timer's SQL fingerprint. Never rendered in `Server-Timing`. */
  readonly detail?: string;
}

/** Options of `timingScope()`. */
export interface TimingScopeOptions {
  /** Most entries kept; later ones are counted in `dropped`. Default 1,000. */
  maxEntries?: number | undefined;
}

const OWNER = 'timingScope';
const OPTIONS = ['maxEntries'] as const;
const DEFAULT_MAX_ENTRIES = 1000;

const EMPTY: readonly TimingEntry[] = Object.freeze([]);

/**
 * The timers started during one unit of work (usually a request), recorded as they stop. Nested
 * scopes also pass their entries to every enclosing scope.
 */
export class TimingScope {
  readonly #entries: TimingEntry[] = [];
  readonly #parent: TimingScope | undefined;
  readonly #maxEntries: number;
  #dropped = 0;

  /** @internal Use `timingScope()`. */
  constructor(parent: TimingScope | undefined, maxEntries: number) {
    this.#parent = parent;
    this.#maxEntries = maxEntries;
  }

  /** The entries collected so far, oldest first. */
  get entries(): readonly TimingEntry[] {
    return this.#entries;
  }

  /** Entries not kept because `maxEntries` was reached. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Adds an entry by hand, e.g. a duration measured by other means. */
  add(name: string, durationMs: number, failed = false, detail?: string): void {
    const entry: TimingEntry =
      detail === undefined ? { name, durationMs, failed } : { name, durationMs, failed, detail };
    let scope: TimingScope | undefined = this;
    while (scope !== undefined) {
      scope.#push(entry);
      scope = scope.#parent;
    }
  }

  #push(entry: TimingEntry): void {
    if (this.#entries.length < this.#maxEntries) this.#entries.push(entry);
    else this.#dropped++;
  }
}

// Created on first use: until a scope has run, stopping a timer only reads this variable.
let storage: AsyncLocalStorage<TimingScope> | undefined;

/**
 * Runs `fn` in a new timing scope: every timer started inside it, in this call or in anything it
 * awaits or schedules, adds an entry when it stops (wherever it is stopped from). Returns what
 * `fn` returns (a promise stays a promise).
 *
 * @throws ConfigurationError `INVALID_OPTION` for a bad option.
 */
export function timingScope<T>(fn: (scope: TimingScope) => T, options?: TimingScopeOptions): T {
  // Per request: no options object is made or read when none is given.
  const maxEntries = options === undefined ? DEFAULT_MAX_ENTRIES : maxEntriesOf(options);
  storage ??= new AsyncLocalStorage<TimingScope>();
  const scope = new TimingScope(storage.getStore(), maxEntries);
  return storage.run(scope, fn, scope);
}

function maxEntriesOf(options: TimingScopeOptions): number {
  const fields = checkOptionsObject(OWNER, options, OPTIONS);
  return (
    optionalInteger(OWNER, 'maxEntries', fields['maxEntries'], { min: 0 }) ?? DEFAULT_MAX_ENTRIES
  );
}

/** The active timing scope, or undefined outside one. */
export function currentScope(): TimingScope | undefined {
  return storage?.getStore();
}

/** The entries of the active timing scope so far; an empty array outside one. */
export function currentTimings(): readonly TimingEntry[] {
  return storage?.getStore()?.entries ?? EMPTY;
}
