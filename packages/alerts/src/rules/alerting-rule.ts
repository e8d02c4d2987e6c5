import { InvalidRuleError, PromqlEvaluationError } from '../errors.js';
import type { Expr } from '../promql/ast.js';
import { type EvaluationContext, evaluate } from '../promql/evaluate.js';
import { dropMetricName, type Labels, labelsKey } from '../promql/labels.js';
import { type Sample, samplesOf } from '../promql/values.js';
import { type RuleFunction, resultSamples, ruleQuery } from './rule-query.js';
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
  /** A parsed PromQL expression, or a function over the query helpers. */
  readonly expr: Expr | RuleFunction;
  /** `for`, ms. */
  readonly holdDuration: number;
  /** `keep_firing_for`, ms. */
  readonly keepFiringFor: number;
  readonly labels: Readonly<Record<string, CompiledTemplate>>;
  readonly annotations: Readonly<Record<string, CompiledTemplate>>;
}

/** An alert as the rule holds it, and as the engine persists it. */
export interface AlertRecord {
  labels: Labels;
  annotations: Labels;
  state: AlertState;
  value: number;
  activeAt: number;
  firedAt: number | undefined;
  resolvedAt: number | undefined;
  /** When a firing alert's condition stopped holding, while `keep_firing_for` runs. */
  keepFiringSince: number | undefined;
}

type ActiveAlert = AlertRecord;

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
  /** A function rule's PromQL strings, parsed once. */
  readonly #parsed = new Map<string, Expr>();

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

  /** The alerts held now, whole (copies), for persisting. */
  records(): AlertRecord[] {
    return [...this.#active.values()].map((alert) => ({ ...alert }));
  }

  /** Replaces the alerts held by `records` (a restored state); no transitions. */
  restore(records: readonly AlertRecord[]): void {
    this.#active.clear();
    for (const record of records) this.#active.set(labelsKey(record.labels), { ...record });
  }

  /**
   * The condition's samples at `time`: the expression's, or what the function answers (a promise
   * when it is async).
   *
   * @throws PromqlEvaluationError when the expression fails; what a function throws.
   */
  condition(
    time: number,
    context: EvaluationContext,
  ): readonly Sample[] | Promise<readonly Sample[]> {
    const { expr } = this.config;
    if (typeof expr !== 'function') return samplesOf(evaluate(expr, time, context)) ?? [];
    const result = expr(ruleQuery(time, context, this.#parsed));
    if (result instanceof Promise) return result.then((r) => resultSamples(this.name, r));
    return resultSamples(this.name, result);
  }

  /**
   * Evaluates the rule at `time`, updating its alerts; answers the state changes. An async
   * function rule goes through `condition()` and `apply()` instead.
   *
   * @throws PromqlEvaluationError when the expression fails, or when two output series get the
   *   same labels once the rule's labels are applied. The alerts are left as they were.
   */
  evaluate(time: number, context: EvaluationContext): AlertTransition[] {
    const samples = this.condition(time, context);
    if (samples instanceof Promise) {
      throw new InvalidRuleError(
        `alert rule ${this.name}: an async rule is evaluated by the engine`,
      );
    }
    return this.apply(time, samples);
  }

  /**
   * Updates the alerts from the condition's samples at `time`; answers the state changes.
   *
   * @throws PromqlEvaluationError when two samples get the same labels once the rule's labels
   *   are applied. The alerts are left as they were.
   */
  apply(time: number, samples: readonly Sample[]): AlertTransition[] {
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
