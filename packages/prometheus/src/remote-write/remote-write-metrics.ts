import type { CounterChild, GaugeChild, Registry } from '@vigil/core';

/**
 * @internal A writer's own metrics, each with a `remote` label (the writer's `name`):
 * `vigil_remote_write_samples_total`, `vigil_remote_write_failed_samples_total`,
 * `vigil_remote_write_failures_total`, `vigil_remote_write_retries_total` and
 * `vigil_remote_write_last_success_timestamp_seconds` (from the first fully accepted write on).
 * They live in the registry the writer writes, so they are written too, one write behind, as
 * Prometheus's own `prometheus_remote_storage_*` metrics are scraped and written along.
 */
export class RemoteWriteMetrics {
  readonly #samples: CounterChild;
  readonly #failedSamples: CounterChild;
  readonly #failures: CounterChild;
  readonly #retries: CounterChild;
  readonly #lastSuccess: () => GaugeChild;

  constructor(registry: Registry, remote: string) {
    const labels = { remote };
    const counter = (name: string, help: string) =>
      registry.counter({ name, help, labelNames: ['remote'] }).labels(labels);
    this.#samples = counter(
      'vigil_remote_write_samples_total',
      'Samples the remote-write receiver accepted.',
    );
    this.#failedSamples = counter(
      'vigil_remote_write_failed_samples_total',
      'Samples not written: their request failed after its last attempt, or was not sent after one that did.',
    );
    this.#failures = counter(
      'vigil_remote_write_failures_total',
      'Remote-write requests that failed after their last attempt.',
    );
    this.#retries = counter(
      'vigil_remote_write_retries_total',
      'Remote-write requests sent again after a 5xx, a 429 or no answer.',
    );
    const lastSuccess = registry.gauge({
      name: 'vigil_remote_write_last_success_timestamp_seconds',
      help: 'When the last write whose every request was accepted was taken, in seconds since the epoch.',
      labelNames: ['remote'],
      unit: 'seconds',
    });
    let child: GaugeChild | undefined;
    this.#lastSuccess = () => (child ??= lastSuccess.labels(labels));
  }

  accepted(samples: number): void {
    this.#samples.inc(samples);
  }

  failed(samples: number, requests: number): void {
    if (samples > 0) this.#failedSamples.inc(samples);
    if (requests > 0) this.#failures.inc(requests);
  }

  retried(): void {
    this.#retries.inc();
  }

  succeeded(timestamp: number): void {
    this.#lastSuccess().set(timestamp / 1000);
  }
}
