import { PROMETHEUS_CONTENT_TYPE } from '@vigil/core';
import { PushError } from '../errors.js';
import { freshSnapshot } from '../metrics-source.js';
import { type RequestTarget, sendRequest } from '../send-request.js';
import { type GroupingLabels, groupingPath } from './grouping-path.js';
import { encodeMetricFamilies, PROTOBUF_CONTENT_TYPE } from './metric-family-protobuf.js';
import {
  checkGroupingLabels,
  checkJob,
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
  readonly #target: RequestTarget;

  /** @throws ConfigurationError `INVALID_OPTION` naming a bad option. */
  constructor(options: PushgatewayOptions) {
    this.#config = pushgatewayConfig(options);
    const { headers, timeout, timers, clock } = this.#config;
    this.#target = { url: this.#groupUrl(undefined), headers, timeout, timers, clock };
  }

  /** The group's URL. */
  get url(): string {
    return this.#target.url;
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
    await this.#request('DELETE', group, undefined, undefined);
  }

  async #send(method: 'PUT' | 'POST', group: PushGroup | undefined): Promise<void> {
    const { source, format } = this.#config;
    if (format === 'protobuf') {
      const body = encodeMetricFamilies(await freshSnapshot(source));
      await this.#request(method, group, body, PROTOBUF_CONTENT_TYPE);
    } else {
      const body = await source.metrics({ format: 'prometheus' });
      await this.#request(method, group, body, PROMETHEUS_CONTENT_TYPE);
    }
  }

  async #request(
    method: 'PUT' | 'POST' | 'DELETE',
    group: PushGroup | undefined,
    body: string | Uint8Array | undefined,
    contentType: string | undefined,
  ): Promise<void> {
    const url = group === undefined ? this.#target.url : this.#groupUrl(group);
    const headers = contentType === undefined ? undefined : { 'content-type': contentType };
    const failure = await sendRequest(this.#target, { method, url, headers, body });
    if (failure === undefined) return;
    throw new PushError('PUSHGATEWAY_FAILED', `${method} Pushgateway ${url} ${failure.reason}`, {
      status: failure.status,
      retryable: failure.retryable,
      retryAfter: failure.retryAfter,
      cause: failure.cause,
    });
  }

  #groupUrl(group: PushGroup | undefined): string {
    const job = group?.job === undefined ? this.#config.job : checkJob('Pushgateway', group.job);
    const labels =
      group?.groupingLabels === undefined
        ? this.#config.groupingLabels
        : checkGroupingLabels('Pushgateway', group.groupingLabels);
    return this.#config.url + groupingPath(job, labels);
  }
}
