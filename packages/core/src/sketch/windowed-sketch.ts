import { ConfigurationError } from '../errors.js';
import { ExponentialSketch } from './exponential-sketch.js';
import { checkScale, DEFAULT_SKETCH_SCALE } from './scale.js';

export interface WindowedSketchOptions {
  /**
   * How long an observation counts, in milliseconds. It leaves the window between
   * `maxAgeMs · (1 - 1/ageBuckets)` and `maxAgeMs` after it was added.
   */
  maxAgeMs: number;
  /** How many sketches the window is cut into, 1 to 60. More expire smoother and cost memory. */
  ageBuckets: number;
  /** The sketches' scale, 0 to 10; `DEFAULT_SKETCH_SCALE` when left out. */
  scale?: number;
  /** The clock, in milliseconds. Injected so that tests and callers control time. */
  now: () => number;
}

const MAX_AGE_BUCKETS = 60;

/**
 * Quantiles over a sliding time window, kept as a ring of `ageBuckets` sketches (client_golang's
 * MaxAge / AgeBuckets). Unlike prom-client, which inserts every observation into every age
 * bucket, an observation goes into the current bucket only and a read merges the live ones:
 * recording costs one insert however many buckets there are. An age bucket gets its sketch on its
 * first observation, so a window nobody observes into holds no sketch at all.
 */
export class WindowedSketch {
  // A bucket is undefined until its first observation; rotation then empties it in place, so
  // that refilling allocates nothing.
  readonly #buckets: Array<ExponentialSketch | undefined>;
  readonly #scale: number;
  readonly #periodMs: number;
  readonly #now: () => number;
  #current = 0;
  /** When the current bucket stops being current. */
  #rotatesAt: number;
  // Reused by quantile() so that reads allocate nothing once warm; made on the first read.
  #scratch: ExponentialSketch | undefined;

  /** @throws ConfigurationError `INVALID_OPTION` for a bad option. */
  constructor(options: WindowedSketchOptions) {
    const { maxAgeMs, ageBuckets, scale, now } = options;
    if (!(typeof maxAgeMs === 'number' && maxAgeMs > 0 && Number.isFinite(maxAgeMs))) {
      throw invalidOption(
        `maxAgeMs should be a positive finite number of milliseconds, got ${String(maxAgeMs)}`,
      );
    }
    if (!(Number.isInteger(ageBuckets) && ageBuckets >= 1 && ageBuckets <= MAX_AGE_BUCKETS)) {
      throw invalidOption(
        `ageBuckets should be an integer from 1 to ${MAX_AGE_BUCKETS}, got ${String(ageBuckets)}`,
      );
    }
    if (typeof now !== 'function') {
      throw invalidOption(`now should be a function returning milliseconds, got ${typeof now}`);
    }
    this.#scale = scale ?? DEFAULT_SKETCH_SCALE;
    checkScale(this.#scale);
    this.#buckets = new Array<ExponentialSketch | undefined>(ageBuckets);
    this.#periodMs = maxAgeMs / ageBuckets;
    this.#now = now;
    const start = now();
    // `now >= NaN` is always false, so a clock that starts at NaN would never rotate.
    if (!Number.isFinite(start)) {
      throw invalidOption(`now() should return a finite number of milliseconds, got ${start}`);
    }
    this.#rotatesAt = start + this.#periodMs;
  }

  /** Records one value. The caller guarantees a finite number. */
  add(value: number): void {
    this.#advance();
    (this.#buckets[this.#current] ??= new ExponentialSketch(this.#scale)).add(value);
  }

  /** The quantile over the window, as `ExponentialSketch.quantile` defines it; NaN when empty. */
  quantile(q: number): number {
    this.#scratch ??= new ExponentialSketch(this.#scale);
    this.#scratch.reset();
    return this.#mergeInto(this.#scratch).quantile(q);
  }

  /** A new sketch holding the window's content, for snapshots and for merging across processes. */
  merged(): ExponentialSketch {
    return this.#mergeInto(new ExponentialSketch(this.#scale));
  }

  /** How many observations the window holds now. */
  get count(): number {
    this.#advance();
    let count = 0;
    for (const bucket of this.#buckets) count += bucket?.count ?? 0;
    return count;
  }

  /** Empties the window; the current bucket keeps its place in the rotation. */
  reset(): void {
    for (const bucket of this.#buckets) bucket?.reset();
  }

  /** Adds the window's content to `target` (returned): a read without a new sketch. */
  mergeInto(target: ExponentialSketch): ExponentialSketch {
    return this.#mergeInto(target);
  }

  #mergeInto(target: ExponentialSketch): ExponentialSketch {
    this.#advance();
    for (const bucket of this.#buckets) if (bucket !== undefined) target.merge(bucket);
    return target;
  }

  #advance(): void {
    const now = this.#now();
    if (now >= this.#rotatesAt) this.#rotate(now);
  }

  // Rotation is lazy: an idle window catches up on its next add or read, clearing one bucket per
  // period that passed, and every bucket once a whole window has passed.
  #rotate(now: number): void {
    const periods = Math.floor((now - this.#rotatesAt) / this.#periodMs) + 1;
    const buckets = this.#buckets;
    for (let i = 0; i < Math.min(periods, buckets.length); i++) {
      this.#current = (this.#current + 1) % buckets.length;
      buckets[this.#current]?.reset();
    }
    this.#rotatesAt += periods * this.#periodMs;
  }
}

function invalidOption(message: string): ConfigurationError {
  return new ConfigurationError('INVALID_OPTION', message);
}
