import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type TimerHandle,
} from '@vigil/core';
import { PushError } from '../errors.js';
import { keepAlive } from '../keep-alive.js';
import { freshSnapshot } from '../metrics-source.js';
import { type RequestTarget, sendRequest } from '../send-request.js';
import { classicSeries } from './classic-series.js';
import { RemoteWriteMetrics } from './remote-write-metrics.js';
import {
  type RemoteWriterOptions,
  type WriterConfig,
  writerConfig,
} from './remote-writer-options.js';
import { splitIntoBatches } from './sample-batches.js';
import { type SendOutcome, sendWithRetries } from './send-with-retries.js';
import { encodeWriteRequest } from './write-request-codec.js';

/** What one `write()` sent. */
export interface RemoteWriteResult {
  /** Samples the receiver accepted: one per series. */
  readonly samples: number;
  /** Requests it took (`maxSamplesPerSend` each at most); 0 for an empty registry. */
  readonly requests: number;
  /** The timestamp of every sample, ms since the epoch. */
  readonly timestamp: number;
}

/**
 * Writes a registry to a Prometheus remote-write 1.0 receiver (Prometheus with
 * `--web.enable-remote-write-receiver`, Mimir, Cortex, Thanos Receive, VictoriaMetrics, Grafana
 * Cloud): every `interval`, the registry's snapshot as classic series, one sample each, all with
 * one timestamp. `write()` sends one now; `close()` sends a last one and stops.
 *
 * A request that fails with a 5xx, a 429 or no answer is sent again (`retries`); any other 4xx is
 * not. A failed write is not queued: the next one sends the then current values, so counters,
 * histograms and summaries lose resolution, never counts. Periodic failures go to `onError`.
 */
export class RemoteWriter {
  readonly #config: WriterConfig;
  readonly #target: RequestTarget;
  readonly #metrics: RemoteWriteMetrics | undefined;
  readonly #reportError: BackgroundErrorReporter;
  #timer: TimerHandle | undefined;
  #started = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** Writes run one after another: this settles when the last one queued has. */
  #queue: Promise<unknown> = Promise.resolve();
  #periodicInFlight = false;
  #lastTimestamp = Number.NEGATIVE_INFINITY;
  /** No periodic write before this time (ms), as a long `Retry-After` asked. */
  #holdUntil = Number.NEGATIVE_INFINITY;

  /**
   * @throws ConfigurationError `INVALID_OPTION` for a bad option, `INVALID_DURATION` for a bad
   * `interval`, `timeout` or backoff.
   */
  constructor(options: RemoteWriterOptions) {
    const config = writerConfig(options);
    this.#config = config;
    this.#target = {
      url: config.url,
      headers: config.headers,
      timeout: config.timeout,
      timers: config.timers,
      clock: config.clock,
    };
    this.#metrics =
      config.metricsRegistry === undefined
        ? undefined
        : new RemoteWriteMetrics(config.metricsRegistry, config.name);
    this.#reportError = backgroundErrorReporter(`RemoteWriter ${config.name}`, config.onError);
    if (config.autoStart) this.start();
  }

  /** The endpoint written to. */
  get url(): string {
    return this.#config.url;
  }

  /** Starts the periodic writes (done at construction unless `autoStart: false`). Idempotent. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#schedule();
  }

  /**
   * Writes the registry now, after any write in progress.
   *
   * @throws PushError `REMOTE_WRITE_FAILED` (as a rejection) when a request failed after its last
   * attempt (`status` and `retryable` say how), or when the writer is closed. Requests after one
   * that failed with a 4xx are still sent; after one that failed for a retryable reason, not.
   */
  write(): Promise<RemoteWriteResult> {
    if (this.#closed) {
      return Promise.reject(
        new PushError(
          'REMOTE_WRITE_FAILED',
          `${this.#who()}: write() after close(); create a new RemoteWriter`,
          {
            retryable: false,
          },
        ),
      );
    }
    return keepAlive(this.#enqueue());
  }

  /**
   * Stops the periodic writes, waits for a write in progress, and sends a last write: one attempt
   * per request, no retries, so that it takes at most `timeout` per request. It never rejects: a
   * failed last write goes to `onError`. Idempotent: every call returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= keepAlive(this.#close());
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) this.#config.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      await this.#enqueue(true);
    } catch (error) {
      this.#reportError(error, 'final write');
    }
  }

  #schedule(): void {
    this.#timer = this.#config.timers.setTimeout(this.#tick, this.#config.interval);
  }

  readonly #tick = (): void => {
    this.#timer = undefined;
    if (this.#closed) return;
    this.#schedule();
    // A write still running (a slow receiver, retries) is not stacked on.
    if (this.#periodicInFlight || this.#config.clock.now() < this.#holdUntil) return;
    this.#periodicInFlight = true;
    this.#enqueue().then(
      () => {
        this.#periodicInFlight = false;
      },
      (error: unknown) => {
        this.#periodicInFlight = false;
        this.#reportError(error, 'write');
      },
    );
  };

  #enqueue(last = false): Promise<RemoteWriteResult> {
    const next = this.#queue.then(() => this.#writeNow(last));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** One write; `last` (at close) makes one attempt per request, so that shutdown is bounded. */
  async #writeNow(last: boolean): Promise<RemoteWriteResult> {
    const { source, externalLabels, maxSamplesPerSend, clock } = this.#config;
    const retries = last ? { ...this.#config.retries, maxAttempts: 1 } : this.#config.retries;
    // Strictly increasing, so that two writes in one millisecond are not duplicate samples.
    const timestamp = Math.max(clock.now(), this.#lastTimestamp + 1);
    this.#lastTimestamp = timestamp;
    const series = classicSeries(await freshSnapshot(source), { timestamp, externalLabels });
    const batches = splitIntoBatches(series, maxSamplesPerSend);
    let accepted = 0;
    let firstError: PushError | undefined;
    let stopped = false;
    for (const [index, batch] of batches.entries()) {
      if (stopped) {
        this.#metrics?.failed(batch.length, 0);
        continue;
      }
      const body = encodeWriteRequest({ timeseries: batch });
      const outcome = await sendWithRetries(
        () => sendRequest(this.#target, { method: 'POST', body }),
        retries,
        this.#config.timers,
        () => this.#metrics?.retried(),
      );
      if (outcome.ok) {
        accepted += batch.length;
        this.#metrics?.accepted(batch.length);
        continue;
      }
      this.#metrics?.failed(batch.length, 1);
      firstError ??= this.#failure(outcome, index, batches.length);
      if (outcome.holdOff !== undefined) this.#holdUntil = clock.now() + outcome.holdOff;
      // A retryable failure (the receiver is down or overloaded) would hit the next ones too.
      if (outcome.failure.retryable) stopped = true;
    }
    if (firstError !== undefined) throw firstError;
    this.#metrics?.succeeded(timestamp);
    return { samples: accepted, requests: batches.length, timestamp };
  }

  #failure(outcome: SendOutcome & { ok: false }, index: number, count: number): PushError {
    const { failure, attempts } = outcome;
    const which = count === 1 ? 'request' : `request ${index + 1} of ${count}`;
    const tries = attempts === 1 ? '' : ` after ${attempts} attempts`;
    const wait =
      outcome.holdOff === undefined
        ? ''
        : `; the server asked to wait ${Math.ceil(outcome.holdOff / 1000)} s (more than retries.maxBackoff), periodic writes pause until then`;
    return new PushError(
      'REMOTE_WRITE_FAILED',
      `${this.#who()}: ${which} to ${this.#config.url} failed${tries}: ${failure.reason}${wait}`,
      { status: failure.status, retryable: failure.retryable, cause: failure.cause },
    );
  }

  #who(): string {
    return `RemoteWriter ${this.#config.name}`;
  }
}
