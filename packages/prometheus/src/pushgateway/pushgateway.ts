import { PROMETHEUS_CONTENT_TYPE } from '@vigil/core';
import { freshSnapshot } from '../metrics-source.js';
import { sendRequest } from '../send-request.js';
import { type GroupingLabels, groupingPath } from './grouping-path.js';
import { encodeMetricFamilies, PROTOBUF_CONTENT_TYPE } from './metric-family-protobuf.js';
import {
  checkGroupingLabels,
  type PushgatewayConfig,
  type PushgatewayOptions,
  pushgatewayConfig,
} from './pushgateway-options.js';

/** Another group than the client's own, for one call: its job, its grouping labels, or both. */
export interface PushGroup {
  job?: string | undefined;
  groupingLabels?: GroupingLabels | undefined;
}

/**
 * A client of the Prometheus Pushgateway, for a job and its grouping labels: `push` replaces the
 * group's metrics (PUT), `pushAdd` replaces only the metric families pushed (POST), `delete`
 * removes the group. Each call is one request; a failure rejects with `PushError`
 * (`PUSHGATEWAY_FAILED`). For pushing on an interval, see `PeriodicPusher`.
 */
export class Pushgateway {
  readonly #config: PushgatewayConfig;

  /** @throws ConfigurationError `INVALID_OPTION` naming a bad option. */
  constructor(options: PushgatewayOptions) {
    this.#config = pushgatewayConfig(options);
  }

  /** The group's URL. */
  get url(): string {
    return this.#groupUrl(undefined);
  }

  /** Replaces every metric of the group with the registry's (HTTP PUT). */
  async push(group?: PushGroup): Promise<void> {
    await this.#send('PUT', group);
  }

  /** Replaces the group's metric families of the names pushed, keeping the others (HTTP POST). */
  async pushAdd(group?: PushGroup): Promise<void> {
    await this.#send('POST', group);
  }

  /** Deletes the group and all its metrics (HTTP DELETE). */
  async delete(group?: PushGroup): Promise<void> {
    const { headers, timeout, timers } = this.#config;
    await sendRequest(
      {
        method: 'DELETE',
        url: this.#groupUrl(group),
        headers,
        timeout,
        server: 'Pushgateway',
        code: 'PUSHGATEWAY_FAILED',
      },
      timers,
    );
  }

  async #send(method: 'PUT' | 'POST', group: PushGroup | undefined): Promise<void> {
    const { source, format, timeout, timers } = this.#config;
    const body =
      format === 'protobuf'
        ? encodeMetricFamilies(await freshSnapshot(source))
        : await source.metrics({ format: 'prometheus' });
    const contentType = format === 'protobuf' ? PROTOBUF_CONTENT_TYPE : PROMETHEUS_CONTENT_TYPE;
    await sendRequest(
      {
        method,
        url: this.#groupUrl(group),
        headers: { ...this.#config.headers, 'content-type': contentType },
        body,
        timeout,
        server: 'Pushgateway',
        code: 'PUSHGATEWAY_FAILED',
      },
      timers,
    );
  }

  #groupUrl(group: PushGroup | undefined): string {
    const job = group?.job ?? this.#config.job;
    const labels =
      group?.groupingLabels === undefined
        ? this.#config.groupingLabels
        : checkGroupingLabels('Pushgateway', group.groupingLabels);
    return this.#config.url + groupingPath(job, labels);
  }
}
