import type { Gauge, Registry } from '@vigil/core';
import type { Alert } from '../rules/alerting-rule.js';

const ALERTS = 'ALERTS';
const FOR_STATE = 'ALERTS_FOR_STATE';

/**
 * @internal Prometheus's `ALERTS{alertname, alertstate, …labels} 1` and
 * `ALERTS_FOR_STATE{alertname, …labels} <activeAt in seconds>` for every pending and firing
 * alert, in a registry. A core gauge has fixed label names and alerts do not, so the two gauges
 * are made again whenever the alerts' label names change; an alert without one of them has it
 * empty, which Prometheus reads as absent.
 */
export class AlertsSeries {
  readonly #registry: Registry;
  #names = '';
  #alerts: Gauge<string> | undefined;
  #forState: Gauge<string> | undefined;

  constructor(registry: Registry) {
    this.#registry = registry;
  }

  /** Sets the series to `alerts` (the inactive ones left out). */
  update(alerts: readonly Alert[]): void {
    const active = alerts.filter((alert) => alert.state !== 'inactive');
    const names = new Set<string>(['alertname']);
    for (const alert of active) for (const name of Object.keys(alert.labels)) names.add(name);
    const sorted = [...names].sort();
    const key = sorted.join(',');
    if (key !== this.#names || this.#alerts === undefined || this.#forState === undefined) {
      this.#remove();
      this.#alerts = this.#registry.gauge({
        name: ALERTS,
        help: 'Alerts pending and firing, as Prometheus has them: 1 per alert and state.',
        labelNames: [...sorted.filter((n) => n !== 'alertstate'), 'alertstate'],
      });
      this.#forState = this.#registry.gauge({
        name: FOR_STATE,
        help: 'When each pending or firing alert became active, in seconds since the epoch.',
        labelNames: sorted,
      });
      this.#names = key;
    }
    this.#alerts.reset();
    this.#forState.reset();
    for (const alert of active) {
      const labels: Record<string, string> = {};
      for (const name of sorted) labels[name] = alert.labels[name] ?? '';
      this.#forState.set(labels, alert.activeAt / 1000);
      this.#alerts.set({ ...labels, alertstate: alert.state }, 1);
    }
  }

  /** Takes the series out of the registry (a closed engine, or one that no longer leads). */
  clear(): void {
    this.#remove();
    this.#names = '';
  }

  #remove(): void {
    if (this.#alerts !== undefined) this.#registry.remove(this.#alerts.name);
    if (this.#forState !== undefined) this.#registry.remove(this.#forState.name);
    this.#alerts = undefined;
    this.#forState = undefined;
  }
}
