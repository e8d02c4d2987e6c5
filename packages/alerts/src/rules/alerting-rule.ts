import { PromqlEvaluationError } from '../errors.js';
import type { Expr } from '../promql/ast.js';
import { type EvaluationContext, evaluate } from '../promql/evaluate.js';
import { dropMetricName, type Labels, labelsKey } from '../promql/labels.js';
import { samplesOf } from '../promql/values.js';
import type { CompiledTemplate } from './template.js';

/** An alert's state, as Prometheus has them. */
export type AlertState = 'pending' | 'firing' | 'inactive';

/** One alert of a rule: one per output label set. */
export interface Alert {
  /** The series' labels without its name, the rule's labels, and `alertname`. */
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: AlertState;
  /** The expression's value at the latest evaluation that returned it. */
  readonly value: number;
  /** When the condition started holding, ms. */
  readonly activeAt: number;
  /** When it started firing, ms. */
  readonly firedAt: number | undefined;
  /** When it stopped firing, ms. */
  readonly resolvedAt: number | undefined;
}

/** A change of an alert's state, from one evaluation. */
export interface AlertTransition {
  readonly rule: string;
  readonly from: AlertState;
  readonly to: AlertState;
  readonly alert: Alert;
  readonly at: number;
}

/** What an alerting rule is built from: its parts parsed and compiled. */
export interface AlertingRuleConfig {
  readonly name: string;
  readonly expr: Expr;
  /** `for`, ms. */
  readonly holdDuration: number;
  /** `keep_firing_for`, ms. */
  readonly keepFiringFor: number;
  readonly labels: Readonly<Record<string, CompiledTemplate>>;
  readonly annotations: Readonly<Record<string, CompiledTemplate>>;
}

interface ActiveAlert {
  labels: Labels;
  annotations: Labels;
  state: AlertState;
  value: number;
  activeAt: number;
  firedAt: number | undefined;
  resolvedAt: number | undefined;
  keepFiringSince: number | undefined;
}

/** How long a resolved alert is kept (and reported as resolved), as Prometheus does. */
const RESOLVED_RETENTION = 15 * 60_000;

function snapshot(alert: ActiveAlert): Alert {
  return {
    labels: alert.labels,
    annotations: alert.annotations,
    state: alert.state,
    value: alert.value,
    activeAt: alert.activeAt,
    firedAt: alert.firedAt,
    resolvedAt: alert.resolvedAt,
  };
}

/**
 * An alerting rule with Prometheus's semantics: each evaluation's output series become pending
 * alerts, firing once they have held for `for`; one that stops holding resolves (after
 * `keep_firing_for`, if firing), and a resolved one is kept 15 minutes.
 */
export class AlertingRule {
  readonly config: AlertingRuleConfig;
  readonly #active = new Map<string, ActiveAlert>();

  constructor(config: AlertingRuleConfig) {
    this.config = config;
  }

  get name(): string {
    return this.config.name;
  }

  /** The alerts held now: pending, firing, and recently resolved (inactive). */
  alerts(): Alert[] {
    return [...this.#active.values()].map(snapshot);
  }

  /**
   * Evaluates the rule at `time`, updating its alerts; answers the state changes.
   *
   * @throws PromqlEvaluationError when the expression fails, or when two output series get the
   *   same labels once the rule's labels are applied. The alerts are left as they were.
   */
  evaluate(time: number, context: EvaluationContext): AlertTransition[] {
    const result = evaluate(this.config.expr, time, context);
    const samples = samplesOf(result) ?? [];
    const seen = new Map<string, ActiveAlert>();
    for (const sample of samples) {
      const data = { labels: dropMetricName(sample.labels), value: sample.value };
      const labels: Record<string, string> = { ...data.labels };
      for (const [name, template] of Object.entries(this.config.labels)) {
        const value = expand(template, data);
        if (value === '') delete labels[name];
        else labels[name] = value;
      }
      labels['alertname'] = this.config.name;
      const annotations: Record<string, string> = {};
      for (const [name, template] of Object.entries(this.config.annotations)) {
        annotations[name] = expand(template, data);
      }
      const key = labelsKey(labels);
      if (seen.has(key)) {
        throw new PromqlEvaluationError(
          `alert ${this.config.name}: vector contains metrics with the same labelset after applying alert labels`,
        );
      }
      seen.set(key, {
        labels,
        annotations,
        state: 'pending',
        value: sample.value,
        activeAt: time,
        firedAt: undefined,
        resolvedAt: undefined,
        keepFiringSince: undefined,
      });
    }
    const transitions: AlertTransition[] = [];
    for (const [key, alert] of seen) {
      const existing = this.#active.get(key);
      if (existing !== undefined && existing.state !== 'inactive') {
        existing.value = alert.value;
        existing.annotations = alert.annotations;
        continue;
      }
      this.#active.set(key, alert);
      transitions.push({
        rule: this.name,
        from: 'inactive',
        to: 'pending',
        alert: snapshot(alert),
        at: time,
      });
    }
    for (const [key, alert] of this.#active) {
      if (!seen.has(key)) {
        let keepFiring = false;
        if (alert.state === 'firing' && this.config.keepFiringFor > 0) {
          alert.keepFiringSince ??= time;
          if (time - alert.keepFiringSince < this.config.keepFiringFor) keepFiring = true;
        }
        if (
          alert.state === 'pending' ||
          (alert.resolvedAt !== undefined && time - alert.resolvedAt > RESOLVED_RETENTION)
        ) {
          this.#active.delete(key);
        }
        if (alert.state !== 'inactive' && !keepFiring) {
          const from = alert.state;
          alert.state = 'inactive';
          alert.resolvedAt = time;
          transitions.push({
            rule: this.name,
            from,
            to: 'inactive',
            alert: snapshot(alert),
            at: time,
          });
        }
        if (!keepFiring) continue;
      } else {
        alert.keepFiringSince = undefined;
      }
      if (alert.state === 'pending' && time - alert.activeAt >= this.config.holdDuration) {
        alert.state = 'firing';
        alert.firedAt = time;
        transitions.push({
          rule: this.name,
          from: 'pending',
          to: 'firing',
          alert: snapshot(alert),
          at: time,
        });
      }
    }
    return transitions;
  }
}

function expand(template: CompiledTemplate, data: { labels: Labels; value: number }): string {
  try {
    return template.expand(data);
  } catch (error) {
    // As Prometheus: the alert still fires, the text says what went wrong.
    return `<error expanding template: ${(error as Error).message}>`;
  }
}
