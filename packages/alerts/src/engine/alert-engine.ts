import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type CounterChild,
  type Histogram,
  type TimerHandle,
} from '@vigil/core';
import { optionalDuration } from '@vigil/core/options';
import { EventEmitter } from 'eventemitter3';
import { InvalidRuleError } from '../errors.js';
import { type Labels, METRIC_NAME } from '../promql/labels.js';
import { MemorySeries } from '../promql/memory-series.js';
import type { Alert, AlertingRule, AlertTransition } from '../rules/alerting-rule.js';
import {
  type AlertRuleDefinition,
  type CheckedRule,
  checkRule,
  type RuleGroupDefinition,
} from '../rules/rule-definition.js';
import { readRuleFile } from '../rules/rule-file.js';
import { toPrometheusRules } from '../rules/to-prometheus-rules.js';
import {
  type AlertEngineConfig,
  type AlertEngineOptions,
  alertEngineConfig,
} from './alert-engine-options.js';
import { RegistrySampler } from './registry-sampler.js';

/** Events of an `AlertEngine`. A listener that throws is reported, never breaks a cycle. */
export interface AlertEngineEvents {
  /** Every state change: inactive → pending → firing → inactive (resolved). */
  transition: [transition: AlertTransition];
  /** An alert started firing. */
  firing: [transition: AlertTransition];
  /** A firing alert stopped firing. */
  resolved: [transition: AlertTransition];
  /** A rule failed this cycle; the others still ran. */
  'rule-error': [event: { readonly rule: string; readonly group: string; readonly error: unknown }];
}

/** A rule's last evaluation, for `rules()` and `GET /alerts/rules`. */
export interface RuleStatus {
  readonly group: string;
  readonly name: string;
  readonly expr: string;
  readonly health: 'unknown' | 'ok' | 'err';
  readonly lastError: string | undefined;
  /** When it was last evaluated, ms since the epoch. */
  readonly lastEvaluation: number | undefined;
  /** How long that took, ms. */
  readonly evaluationTime: number | undefined;
}

interface EngineGroup {
  readonly name: string;
  readonly interval: number;
  readonly rules: CheckedRule[];
  lastEvaluation: number | undefined;
}

interface RuleState {
  health: RuleStatus['health'];
  lastError: string | undefined;
  lastEvaluation: number | undefined;
  evaluationTime: number | undefined;
}

/**
 * Evaluates alerting rules inside the process, with Prometheus's semantics. Every
 * `evaluationInterval` a cycle samples the registry (one `snapshot()`) into history (kept
 * `retention`), then evaluates each group due; alerts go pending, fire after `for`, resolve (after
 * `keep_firing_for`), with an event for each change. A cycle never overlaps the next, and never
 * throws into the host: a failing rule is reported (`rule-error`, `onError`,
 * `vigil_alert_rule_evaluation_failures_total`) and the other rules run.
 *
 * ```ts
 * const alerts = new AlertEngine({ registry, groups: [{ name: 'api', rules: [
 *   { name: 'HighErrorRate', expr: 'rate(errors_total[5m]) > 1', for: '5m', severity: 'critical' },
 * ] }] });
 * alerts.on('firing', ({ alert }) => page(alert));
 * alerts.start();
 * ```
 */
export class AlertEngine extends EventEmitter<AlertEngineEvents> {
  /** The history the rules read: the registry's samples, and points the host adds. */
  readonly history = new MemorySeries();
  readonly #config: AlertEngineConfig;
  readonly #groups = new Map<string, EngineGroup>();
  readonly #states = new WeakMap<AlertingRule, RuleState>();
  readonly #sampler: RegistrySampler;
  readonly #report: BackgroundErrorReporter;
  readonly #transitions: AlertTransition[] = [];
  readonly #failures: ((rule: string) => CounterChild) | undefined;
  readonly #cycleSeconds: Histogram | undefined;
  #timer: TimerHandle | undefined;
  #running: Promise<AlertTransition[]> | undefined;
  #closed = false;
  /** Cycles skipped because the previous one was still running. */
  skippedCycles = 0;

  constructor(options: AlertEngineOptions) {
    super();
    this.#config = alertEngineConfig(options);
    this.#report = backgroundErrorReporter('AlertEngine', this.#config.onError);
    this.#sampler = new RegistrySampler(this.history);
    const metrics = this.#config.metrics;
    if (metrics !== undefined) {
      const failures = metrics.counter({
        name: 'vigil_alert_rule_evaluation_failures_total',
        help: 'Evaluations of an alerting rule that failed (the other rules still ran).',
        labelNames: ['rule'],
      });
      this.#failures = (rule) => failures.labels({ rule });
      this.#cycleSeconds = metrics.histogram({
        name: 'vigil_alert_evaluation_seconds',
        help: 'Duration of alert evaluation cycles: sampling the registry and evaluating every rule due.',
        unit: 'seconds',
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      });
    }
    for (const group of this.#config.groups) this.addGroup(group);
  }

  /**
   * Adds (or replaces, by name) a group of rules. Every rule is checked first: none is added
   * when one is invalid.
   *
   * @throws ConfigurationError, PromqlSyntaxError, UnsupportedPromqlError, InvalidRuleError.
   */
  addGroup(group: RuleGroupDefinition): void {
    const checked = this.#checkGroup(group);
    this.#groups.set(checked.name, checked);
  }

  #checkGroup(group: RuleGroupDefinition): EngineGroup {
    if (
      typeof group !== 'object' ||
      group === null ||
      typeof group.name !== 'string' ||
      group.name === ''
    ) {
      throw new InvalidRuleError('a rule group needs a name and rules');
    }
    if (!Array.isArray(group.rules))
      throw new InvalidRuleError(`group ${group.name}: rules should be a list`);
    const rules = group.rules.map(checkRule);
    const names = new Set<string>();
    for (const { definition } of rules) {
      if (names.has(definition.name)) {
        throw new InvalidRuleError(
          `group ${group.name}: the rule ${definition.name} is there twice`,
        );
      }
      names.add(definition.name);
    }
    const interval =
      optionalDuration(`group ${group.name}`, 'interval', group.interval, { positive: true }) ??
      this.#config.evaluationInterval;
    return { name: group.name, interval, rules, lastEvaluation: undefined };
  }

  /** Removes a group; answers whether it was there. */
  removeGroup(name: string): boolean {
    return this.#groups.delete(name);
  }

  /**
   * Adds a rule to a group (made if missing), at run time. The group's other rules keep their
   * alerts.
   *
   * @throws InvalidRuleError when the group has a rule of that name; what `checkRule` throws.
   */
  addRule(groupName: string, definition: AlertRuleDefinition): void {
    const checked = checkRule(definition);
    const group = this.#groups.get(groupName);
    if (group === undefined) {
      this.#groups.set(groupName, {
        name: groupName,
        interval: this.#config.evaluationInterval,
        rules: [checked],
        lastEvaluation: undefined,
      });
      return;
    }
    if (group.rules.some(({ definition: d }) => d.name === checked.definition.name)) {
      throw new InvalidRuleError(
        `group ${groupName}: the rule ${checked.definition.name} is there already; replace it instead`,
      );
    }
    group.rules.push(checked);
  }

  /**
   * Replaces a rule (its alerts start over); answers false when there is no such rule.
   *
   * @throws what `checkRule` throws; InvalidRuleError when the new name is another rule's.
   */
  replaceRule(groupName: string, name: string, definition: AlertRuleDefinition): boolean {
    const checked = checkRule(definition);
    const group = this.#groups.get(groupName);
    const index = group?.rules.findIndex(({ definition: d }) => d.name === name) ?? -1;
    if (group === undefined || index === -1) return false;
    const clash = group.rules.some(
      ({ definition: d }, i) => i !== index && d.name === checked.definition.name,
    );
    if (clash)
      throw new InvalidRuleError(
        `group ${groupName}: the rule ${checked.definition.name} is there already`,
      );
    group.rules[index] = checked;
    return true;
  }

  /** Removes a rule; answers whether it was there. A group left empty goes too. */
  removeRule(groupName: string, name: string): boolean {
    const group = this.#groups.get(groupName);
    const index = group?.rules.findIndex(({ definition: d }) => d.name === name) ?? -1;
    if (group === undefined || index === -1) return false;
    group.rules.splice(index, 1);
    if (group.rules.length === 0) this.#groups.delete(groupName);
    return true;
  }

  /** The groups' names and intervals (ms), in order. */
  groups(): { readonly name: string; readonly interval: number }[] {
    return [...this.#groups.values()].map(({ name, interval }) => ({ name, interval }));
  }

  /**
   * Adds (or replaces, by name) the groups of a Prometheus rule file. Its alerting rules only:
   * a recording rule is refused (the engine reads the registry, not recorded series).
   *
   * @throws InvalidRuleError, PromqlSyntaxError, UnsupportedPromqlError, TemplateError.
   */
  loadRuleFile(yaml: string): void {
    const groups = readRuleFile(yaml).map((group) => ({
      name: group.name,
      interval: group.interval,
      rules: group.rules.map((rule) => {
        if (rule.alert === undefined) {
          throw new InvalidRuleError(
            `${rule.where}: recording rule ${rule.record}: the engine evaluates alerting rules only`,
          );
        }
        return {
          name: rule.alert,
          expr: rule.expr,
          for: rule.for,
          keepFiringFor: rule.keepFiringFor,
          labels: rule.labels,
          annotations: rule.annotations,
        };
      }),
    }));
    // Every group is checked before any is added.
    const checked = groups.map((group) => this.#checkGroup(group));
    for (const group of checked) this.#groups.set(group.name, group);
  }

  /** The alerts held now, pending and firing (not the resolved ones kept for 15 minutes). */
  alerts(): Alert[] {
    const out: Alert[] = [];
    for (const group of this.#groups.values()) {
      for (const { rule } of group.rules) {
        for (const alert of rule.alerts()) if (alert.state !== 'inactive') out.push(alert);
      }
    }
    return out;
  }

  /** Each rule and its last evaluation. */
  rules(): RuleStatus[] {
    const out: RuleStatus[] = [];
    for (const group of this.#groups.values()) {
      for (const { rule, definition } of group.rules) {
        const state = this.#states.get(rule);
        out.push({
          group: group.name,
          name: definition.name,
          expr: definition.expr,
          health: state?.health ?? 'unknown',
          lastError: state?.lastError,
          lastEvaluation: state?.lastEvaluation,
          evaluationTime: state?.evaluationTime,
        });
      }
    }
    return out;
  }

  /** The latest state transitions, oldest first (at most `historySize`). */
  transitions(): readonly AlertTransition[] {
    return [...this.#transitions];
  }

  /**
   * Adds a point of the host's own (an in-house system's `add_data_point(metric, value)`) at the
   * current time, for the rules to read as `metric{labels}`.
   */
  addPoint(metric: string, value: number, labels: Labels = {}): void {
    this.history.append({ ...labels, [METRIC_NAME]: metric }, this.#config.clock.now(), value);
  }

  /** The rules as a Prometheus rule file (YAML), for `promtool` and Prometheus. */
  toPrometheusRules(): string {
    return toPrometheusRules(
      [...this.#groups.values()].map((group) => ({
        name: group.name,
        interval: group.interval === this.#config.evaluationInterval ? undefined : group.interval,
        rules: group.rules,
      })),
    );
  }

  /**
   * Runs one cycle now: samples the registry, evaluates every group (the timer's cycles evaluate
   * each group at its own interval), answers the transitions. A cycle already running is
   * joined, not started again.
   */
  evaluate(): Promise<AlertTransition[]> {
    return this.#run(true);
  }

  #run(everyGroup: boolean): Promise<AlertTransition[]> {
    if (this.#running !== undefined) return this.#running;
    this.#running = this.#cycle(everyGroup).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Evaluates every `evaluationInterval` from now on (the first cycle after one interval). */
  start(): void {
    if (this.#closed || this.#timer !== undefined) return;
    this.#schedule();
  }

  /** Stops the cycles; waits for one running. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) this.#config.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  #schedule(): void {
    this.#timer = this.#config.timers.setTimeout(() => {
      if (this.#closed) return;
      if (this.#running !== undefined) this.skippedCycles++;
      else void this.#run(false).catch((error: unknown) => this.#report(error, 'evaluation cycle'));
      this.#schedule();
    }, this.#config.evaluationInterval);
  }

  async #cycle(everyGroup: boolean): Promise<AlertTransition[]> {
    const { clock, registry, retention } = this.#config;
    const started = performance.now();
    await registry.collect();
    const now = clock.now();
    this.#sampler.sample(registry.snapshot(), now);
    this.history.deleteBefore(now - retention);
    const transitions: AlertTransition[] = [];
    // One selection cache per cycle: rules reading the same series select them once.
    const context = { source: this.history, cache: new Map<string, unknown>() };
    for (const group of this.#groups.values()) {
      const due =
        group.lastEvaluation === undefined || now - group.lastEvaluation >= group.interval;
      if (!everyGroup && !due) continue;
      group.lastEvaluation = now;
      for (const { rule } of group.rules) {
        const ruleStarted = performance.now();
        let state = this.#states.get(rule);
        if (state === undefined) {
          state = {
            health: 'unknown',
            lastError: undefined,
            lastEvaluation: undefined,
            evaluationTime: undefined,
          };
          this.#states.set(rule, state);
        }
        try {
          transitions.push(...rule.evaluate(now, context));
          state.health = 'ok';
          state.lastError = undefined;
        } catch (error) {
          state.health = 'err';
          state.lastError = (error as Error).message;
          this.#failures?.(rule.name).inc();
          this.#report(error, `rule ${rule.name}`);
          this.#emit('rule-error', { rule: rule.name, group: group.name, error });
        }
        state.lastEvaluation = now;
        state.evaluationTime = performance.now() - ruleStarted;
      }
    }
    for (const transition of transitions) {
      this.#transitions.push(transition);
      this.#emit('transition', transition);
      if (transition.to === 'firing') this.#emit('firing', transition);
      if (transition.from === 'firing' && transition.to === 'inactive')
        this.#emit('resolved', transition);
    }
    if (this.#transitions.length > this.#config.historySize) {
      this.#transitions.splice(0, this.#transitions.length - this.#config.historySize);
    }
    this.#cycleSeconds?.observe((performance.now() - started) / 1000);
    return transitions;
  }

  #emit<K extends keyof AlertEngineEvents>(event: K, ...args: AlertEngineEvents[K]): void {
    if (this.listenerCount(event) === 0) return;
    try {
      (this.emit as (event: K, ...args: AlertEngineEvents[K]) => boolean)(event, ...args);
    } catch (error) {
      this.#report(error, `'${event}' listener`);
    }
  }
}
