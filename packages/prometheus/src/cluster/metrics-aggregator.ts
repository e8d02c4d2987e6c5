import { randomUUID } from 'node:crypto';
import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type ExpositionFormat,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  type Registry,
  type RegistrySnapshot,
  renderSnapshot,
} from '@vigil/core';
import { checkOptionsObject, optionalChoice } from '@vigil/core/options';
import { AggregationClosedError } from '../errors.js';
import { AggregationMetrics } from './aggregation-metrics.js';
import type { AggregatorConfig } from './aggregator-options.js';
import { mergeWith, type WorkerSnapshot } from './merge-snapshots.js';
import { type ScrapeTarget, scrapeWorkers, type WorkerScrape } from './scrape-workers.js';

const FORMATS: readonly ExpositionFormat[] = ['prometheus', 'openmetrics'];

/**
 * What both aggregators share: each scrape asks every live worker for its snapshot (through the
 * subclass's `targets()`), waits up to `timeout`, merges the answers with this process's own
 * registry (when given) and renders them. Concurrent scrapes share one round of requests.
 */
export abstract class MetricsAggregator {
  /** Content type of `metrics()` in the default (Prometheus) format. */
  readonly contentType = PROMETHEUS_CONTENT_TYPE;
  readonly #owner: string;
  readonly #self: string;
  readonly #config: AggregatorConfig;
  readonly #own: AggregationMetrics;
  readonly #reportError: BackgroundErrorReporter;
  /** Unique per aggregator, so that two aggregators' requests never share an id. */
  readonly #instance = randomUUID();
  #sequence = 0;
  #inFlight: { scrape: WorkerScrape; result: Promise<RegistrySnapshot> } | undefined;
  #closed = false;
  /** Rejects when the aggregator closes: a scrape in flight ends then, whatever it waits for. */
  readonly #whenClosed: Promise<never>;
  #rejectWhenClosed!: (error: Error) => void;

  /** `self`: this process's name in the aggregate (`'primary'`, `'main'`). */
  protected constructor(owner: string, self: string, config: AggregatorConfig) {
    this.#owner = owner;
    this.#self = self;
    this.#config = config;
    this.#own = new AggregationMetrics(config.clock);
    this.#reportError = backgroundErrorReporter(owner, config.onError);
    this.#whenClosed = new Promise<never>((_, reject) => {
      this.#rejectWhenClosed = reject;
    });
    this.#whenClosed.catch(() => {}); // rejected on close() even when no scrape listens
  }

  /** Content type for `format`. */
  static contentTypeOf(format: ExpositionFormat): string {
    return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
  }

  /** The processes to ask now, in the order their metrics are merged. */
  protected abstract targets(): ScrapeTarget[];

  /**
   * The aggregate in the Prometheus text format 0.0.4 (default) or OpenMetrics 1.0, as a
   * registry's `metrics()` takes it (`{ format }`), or the format alone.
   *
   * @throws AggregationClosedError after `close()`.
   */
  async metrics(options: { format?: ExpositionFormat } | ExpositionFormat = {}): Promise<string> {
    const given = typeof options === 'string' ? { format: options } : options;
    const owner = `${this.#owner}.metrics()`;
    const checked = checkOptionsObject(owner, given, ['format']);
    const format = optionalChoice(owner, 'format', checked.format, FORMATS) ?? 'prometheus';
    return renderSnapshot(await this.snapshot(), format);
  }

  /**
   * The merged snapshot of every worker that answered in time, this process's registry (when
   * given) and the aggregator's own `vigil_aggregation_*` metrics.
   *
   * @throws AggregationClosedError after `close()`, or when closed during the scrape.
   */
  snapshot(): Promise<RegistrySnapshot> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#inFlight !== undefined) return this.#inFlight.result;
    let targets: ScrapeTarget[];
    try {
      targets = this.targets();
    } catch (error) {
      return Promise.reject(error); // a `workers()` function that threw: a rejection, as documented
    }
    const scrape = scrapeWorkers(
      targets,
      `${this.#instance}:${++this.#sequence}`,
      this.#config.timeout,
      this.#config.timers,
      {
        leftOut: (target, reason, error) => {
          this.#own.leftOut(reason);
          this.#reportError(error, `ask worker ${target.name}`);
        },
      },
    );
    const result = Promise.race([this.#merge(scrape), this.#whenClosed]);
    const inFlight = { scrape, result };
    this.#inFlight = inFlight;
    const clear = (): void => {
      if (this.#inFlight === inFlight) this.#inFlight = undefined;
    };
    result.then(clear, clear);
    return result;
  }

  /**
   * Stops: a scrape in flight rejects with `AggregationClosedError`, as does every later call.
   * Workers are not touched (their `exposeClusterMetrics` goes on listening).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#inFlight?.scrape.abort(this.#closedError());
    this.#rejectWhenClosed(this.#closedError());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Runs the own registry's `collect` callbacks, waiting at most `timeout` as for a worker: a
   * callback that never settles costs that scrape its fresh values (the last ones are used), never
   * the scrape itself.
   */
  #collectOwn(registry: Registry): Promise<void> {
    const { timeout, timers } = this.#config;
    return new Promise<void>((resolve) => {
      const timer = timers.setTimeout(() => {
        this.#reportError(
          new Error(
            `the collect callbacks of this process's registry did not finish within ${timeout} ms; its last values were used`,
          ),
          'collect own registry',
        );
        resolve();
      }, timeout);
      const done = (): void => {
        timers.clearTimeout(timer);
        resolve();
      };
      registry.collect().then(done, (error: unknown) => {
        this.#reportError(error, 'collect own registry');
        done();
      });
    });
  }

  async #merge(scrape: WorkerScrape): Promise<RegistrySnapshot> {
    const registry = this.#config.registry;
    // The own registry's async collect callbacks run while the workers answer.
    const collected = registry === undefined ? undefined : this.#collectOwn(registry);
    const answers = await scrape.answers;
    await collected;
    if (this.#closed) throw this.#closedError();
    const inputs: WorkerSnapshot[] = [...answers];
    if (registry !== undefined) inputs.push({ worker: this.#self, snapshot: registry.snapshot() });
    const { snapshot, mismatches } = mergeWith(
      this.#config.merge,
      inputs,
      this.#config.clock.now(),
    );
    for (const { metric, worker, reason } of mismatches) {
      this.#own.mismatch(metric, reason);
      this.#reportError(
        new Error(
          `metric '${metric}' of worker ${worker} does not match the first worker's (${reason === 'type' ? 'another type' : reason === 'bounds' ? 'other histogram buckets' : 'a sketch of another scale'}); the aggregate shows the first worker's alone. Define it the same way in every worker.`,
        ),
        `merge ${metric}`,
      );
    }
    this.#own.scraped(answers.length);
    // The aggregator's own metrics last, after the merge: this scrape's left-outs and mismatches.
    const names = new Set(snapshot.metrics.map((metric) => metric.name));
    for (const metric of this.#own.registry.snapshot().metrics) {
      if (!names.has(metric.name)) snapshot.metrics.push(metric);
    }
    return snapshot;
  }

  #closedError(): AggregationClosedError {
    return new AggregationClosedError(
      `${this.#owner} is closed: it no longer asks workers; create a new one to scrape again`,
    );
  }
}
