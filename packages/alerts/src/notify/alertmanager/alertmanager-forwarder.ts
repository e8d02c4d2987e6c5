import { type BackgroundErrorReporter, backgroundErrorReporter } from '@vigil/core';
import { describeValue, hasMethods, invalidOption } from '@vigil/core/options';
import type { AlertEngine, AlertEngineEvents } from '../../engine/alert-engine.js';
import { DeliveryError } from '../../errors.js';
import { labelsKey } from '../../promql/labels.js';
import type { Alert } from '../../rules/alerting-rule.js';
import { AlertmanagerClient, type PostableAlert } from './alertmanager-client.js';
import {
  type AlertmanagerForwarderOptions,
  type ForwarderConfig,
  forwarderConfig,
} from './alertmanager-options.js';

/** A running forwarder. */
export interface AlertmanagerForwarder {
  /** Resolves once every alert queued so far was sent, or failed (and was reported). */
  flush(): Promise<void>;
  /** Stops listening to the engine, then sends what is queued (as Prometheus drains its queue). */
  close(): Promise<void>;
}

/** Prometheus's notifier sends at most this many alerts per request. */
const MAX_BATCH = 64;

/** An alert sent, or on its way: which version of it (state and times), and when. */
interface Sent {
  readonly version: string;
  readonly at: number;
}

interface Queued extends Sent {
  readonly key: string;
  readonly alert: PostableAlert;
}

/**
 * One Alertmanager: what it was sent, and the alerts on their way. One request at a time: alerts
 * due while one is in flight wait in the queue (a newer version replacing an older one) and go
 * in the next request, so sends never overlap or pile up.
 */
class Target {
  readonly #client: AlertmanagerClient;
  readonly #report: BackgroundErrorReporter;
  readonly #sent = new Map<string, Sent>();
  readonly #queue = new Map<string, Queued>();
  #sending: Promise<void> | undefined;

  constructor(client: AlertmanagerClient, report: BackgroundErrorReporter) {
    this.#client = client;
    this.#report = report;
  }

  get sending(): Promise<void> | undefined {
    return this.#sending;
  }

  /**
   * Whether the alert goes now, as Prometheus's `needsSending`: never sent, changed since (newly
   * firing, newly resolved), or last sent `resendInterval` ago or more.
   */
  due(key: string, version: string, at: number, resendInterval: number): boolean {
    const last = this.#sent.get(key);
    return last === undefined || last.version !== version || at - last.at >= resendInterval;
  }

  enqueue(item: Queued): void {
    this.#sent.set(item.key, { version: item.version, at: item.at });
    this.#queue.set(item.key, item);
  }

  /** Forgets the alerts the engine no longer holds. */
  forget(held: ReadonlySet<string>): void {
    for (const key of this.#sent.keys()) if (!held.has(key)) this.#sent.delete(key);
  }

  send(): void {
    if (this.#sending !== undefined || this.#queue.size === 0) return;
    this.#sending = this.#drain().finally(() => {
      this.#sending = undefined;
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.size > 0) {
      const items = [...this.#queue.values()];
      this.#queue.clear();
      for (let start = 0; start < items.length; start += MAX_BATCH) {
        const batch = items.slice(start, start + MAX_BATCH);
        try {
          await this.#client.postAlerts(batch.map((item) => item.alert));
        } catch (error) {
          this.#report(error, `send alerts to ${this.#client.url}`);
          // A 4xx would fail the same way again: those go at their next resend. After a failure
          // that may pass (down, overloaded), this batch and the rest go at the next cycle.
          if (!(error instanceof DeliveryError) || error.retryable) {
            this.#unmark(items.slice(start));
            break;
          }
        }
      }
    }
  }

  /** Makes the items due again, unless a newer version was queued meanwhile. */
  #unmark(items: readonly Queued[]): void {
    for (const item of items) {
      const last = this.#sent.get(item.key);
      if (last?.version === item.version && last.at === item.at) this.#sent.delete(item.key);
    }
  }
}

/**
 * Sends the engine's alerts to Alertmanager as Prometheus does: at each cycle (the `evaluated`
 * event), the firing alerts (never the pending ones) and those resolved in the last 15 minutes,
 * each at most once per `resendInterval` unless its state changed (a newly firing or newly
 * resolved alert goes at once). A firing alert's `endsAt` is the cycle's time plus
 * 4 × max(resendInterval, evaluation interval), so Alertmanager resolves it by itself if the
 * sender dies; a resolved one's is when it resolved. At most 64 alerts per request, one request
 * at a time per Alertmanager, to each of `urls`. A failed send goes to `onError`; when trying
 * again may help, its alerts go again at the next cycle. Nothing is ever thrown into the host.
 *
 * ```ts
 * const forwarder = forwardToAlertmanager(engine, {
 *   url: 'http://alertmanager:9093',
 *   generatorURL: 'https://grafana.example.com/d/queues',
 *   externalLabels: { service: 'checkout' },
 * });
 * // at shutdown, after engine.close():
 * await forwarder.close();
 * ```
 *
 * @throws ConfigurationError (`INVALID_OPTION`, `INVALID_DURATION`) for a bad option.
 */
export function forwardToAlertmanager(
  engine: AlertEngine,
  options: AlertmanagerForwarderOptions,
): AlertmanagerForwarder {
  if (!hasMethods(engine, ['on', 'off', 'groups'])) {
    throw invalidOption(
      'forwardToAlertmanager',
      `engine should be an AlertEngine, got ${describeValue(engine)}`,
    );
  }
  const { config, targets: given } = forwarderConfig(options);
  const report = backgroundErrorReporter('forwardToAlertmanager', config.onError);
  const targets = given.map(
    (target) =>
      new Target('postAlerts' in target ? target : new AlertmanagerClient(target), report),
  );

  const onEvaluated = ({ at, alerts }: AlertEngineEvents['evaluated'][0]): void => {
    const interval =
      config.evaluationInterval ?? Math.max(0, ...engine.groups().map((group) => group.interval));
    const held = new Set<string>();
    for (const alert of alerts) {
      if (alert.state === 'pending') continue;
      const key = labelsKey(alert.labels);
      held.add(key);
      const version = `${alert.state}:${alert.firedAt}:${alert.resolvedAt}`;
      let postable: PostableAlert | undefined;
      for (const target of targets) {
        if (!target.due(key, version, at, config.resendInterval)) continue;
        postable ??= toPostable(alert, at, interval, config, report);
        target.enqueue({ key, version, at, alert: postable });
      }
    }
    for (const target of targets) {
      target.forget(held);
      target.send();
    }
  };
  engine.on('evaluated', onEvaluated);

  const flush = async (): Promise<void> => {
    // A drain picks up what was queued while it ran; wait until none is running.
    for (;;) {
      const running = targets.map((target) => target.sending).filter((p) => p !== undefined);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  };
  return {
    flush,
    close: async () => {
      engine.off('evaluated', onEvaluated);
      await flush();
    },
  };
}

/** The alert as Prometheus sends it (`cmd/prometheus/main.go`, `sendAlerts`). */
function toPostable(
  alert: Alert,
  at: number,
  interval: number,
  config: ForwarderConfig,
  report: BackgroundErrorReporter,
): PostableAlert {
  const firing = alert.state === 'firing';
  // Allows for two failed evaluations or sends before Alertmanager resolves it by itself.
  const validUntil = at + 4 * Math.max(config.resendInterval, interval);
  const labels: Record<string, string> = { ...alert.labels };
  for (const [name, value] of Object.entries(config.externalLabels)) {
    if ((labels[name] ?? '') === '') labels[name] = value;
  }
  let generatorURL: string | undefined;
  try {
    generatorURL = config.generatorURL?.(alert);
  } catch (error) {
    report(error, 'generatorURL');
  }
  return {
    labels,
    annotations: alert.annotations,
    startsAt: new Date(alert.firedAt ?? alert.activeAt).toISOString(),
    endsAt: new Date(firing ? validUntil : (alert.resolvedAt ?? at)).toISOString(),
    ...(generatorURL === undefined ? {} : { generatorURL }),
  };
}
