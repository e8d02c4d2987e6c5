import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type CounterChild,
  type Gauge,
  type Histogram,
  type TimerHandle,
} from '@vigil/core';
import { optionalDuration } from '@vigil/core/options';
import type { Lease, SeriesPoint } from '@vigil/storage';
import { EventEmitter } from 'eventemitter3';
import { InvalidRuleError, PromqlEvaluationError } from '../errors.js';
import { historyWindow } from '../promql/history-window.js';
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
import { type ExportOptions, toPrometheusRules } from '../rules/to-prometheus-rules.js';
import {
  type AlertEngineConfig,
  type AlertEngineOptions,
  type AlertStore,
  alertEngineConfig,
} from './alert-engine-options.js';
import { AlertRecords, type RuleStateRecord, ruleKey } from './alert-records.js';
import { AlertsSeries } from './alerts-series.js';
import { RegistrySampler } from './registry-sampler.js';
import { restoreForState } from './restore-for-state.js';
import { SharedHistory, seriesPoint } from './shared-history.js';

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
  /**
   * The engine that evaluates finished a cycle: every alert it holds, pending, firing and
   * resolved in the last 15 minutes (what Prometheus sends to Alertmanager each time).
   */
  evaluated: [event: { readonly at: number; readonly alerts: readonly Alert[] }];
  /** `testFire()`: a synthetic alert's labels, for the notifiers watching this engine. */
  'test-fire': [event: { readonly labels: Labels }];
  /** With a store: this engine took the lease (`token`: its fencing token) or lost it. */
  leadership: [event: { readonly leader: boolean; readonly token: number | undefined }];
}

/** A rule's last evaluation, for `rules()` and `GET /alerts/rules`. */
export interface RuleStatus {
  readonly group: string;
  readonly name: string;
  readonly expr: string;
  /** The rule's labels (as written: templates), `severity` included. */
  readonly labels: Readonly<Record<string, string>>;
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

/** How far back a function rule may read: its window cannot be known from its code. */
const FUNCTION_RULE_WINDOW = 3_600_000;

/**
 * Evaluates alerting rules inside the process, with Prometheus's semantics. Every
 * `evaluationInterval` a cycle samples the registry (one `snapshot()`) into history, then
 * evaluates each group due; alerts go pending, fire after `for`, resolve (after
 * `keep_firing_for`), with an event for each change. A cycle never overlaps the next, and never
 * throws into the host: a failing rule is reported (`rule-error`, `onError`,
 * `vigil_alert_rule_evaluation_failures_total`) and the other rules run.
 *
 * With a `store`, history, alert state and run-time rules live there: state survives restarts,
 * and engines sharing the store (one per instance) elect one leader, by a lease with a fencing
 * token, that evaluates the fleet's samples; the others write their samples and mirror its
 * alerts.
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
  readonly #config: AlertEngineConfig;
  readonly #groups = new Map<string, EngineGroup>();
  readonly #states = new WeakMap<AlertingRule, RuleState>();
  readonly #sampler: RegistrySampler;
  readonly #report: BackgroundErrorReporter;
  readonly #transitions: AlertTransition[] = [];
  readonly #failures: ((rule: string) => CounterChild) | undefined;
  readonly #cycleSeconds: Histogram | undefined;
  readonly #leaderGauge: Gauge | undefined;
  readonly #alertsSeries: AlertsSeries | undefined;
  readonly #records: AlertRecords | undefined;
  readonly #shared: SharedHistory | undefined;
  #history = new MemorySeries();
  /** Points of this cycle's sample (and `addPoint`s) on their way to the store. */
  #batch: SeriesPoint[] = [];
  /** With a store: the lease while this engine leads. */
  #lease: Lease | undefined;
  /** With a store: the end of the history read from it so far. */
  #loadedTo: number | undefined;
  /** The version of each run-time rule record applied here. */
  readonly #runtimeVersions = new Map<string, number>();
  #timer: TimerHandle | undefined;
  #running: Promise<AlertTransition[]> | undefined;
  #closed = false;
  /** Cycles skipped because the previous one was still running. */
  skippedCycles = 0;

  constructor(options: AlertEngineOptions) {
    super();
    this.#config = alertEngineConfig(options);
    this.#report = backgroundErrorReporter('AlertEngine', this.#config.onError);
    const { store, instance } = this.#config;
    if (store === undefined) {
      this.#sampler = new RegistrySampler((labels, time, value) =>
        this.#history.append(labels, time, value),
      );
    } else {
      this.#records = new AlertRecords(store.records);
      this.#shared = new SharedHistory(store.timeSeries, this.#records);
      this.#sampler = new RegistrySampler(
        (labels, time, value) => {
          if (value !== null) this.#batch.push(seriesPoint(labels, time, value));
        },
        { instance },
      );
    }
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
      this.#leaderGauge = metrics.gauge({
        name: 'vigil_alert_leader',
        help: 'Whether this engine evaluates the rules (1): always without a store; with one, while it holds the lease.',
      });
      this.#leaderGauge.set(store === undefined ? 1 : 0);
      this.#alertsSeries = new AlertsSeries(metrics);
    }
    for (const group of this.#config.groups) this.addGroup(group);
  }

  /**
   * The history the rules read: the registry's samples and points the host adds; with a store,
   * the fleet's points the leader read from it (the window the rules need).
   */
  get history(): MemorySeries {
    return this.#history;
  }

  /** Whether this engine evaluates the rules: always without a store; with one, the lease holder. */
  get leader(): boolean {
    return this.#config.store === undefined || this.#lease !== undefined;
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
   * alerts. With a store, the rule is stored (every engine sharing it takes it up at its next
   * cycle, and it survives restarts; a function rule stays in this process); the promise settles
   * once it is.
   *
   * @throws at once: InvalidRuleError when the group has a rule of that name; what `checkRule`
   *   throws.
   */
  addRule(groupName: string, definition: AlertRuleDefinition): Promise<void> {
    const checked = checkRule(definition);
    this.#addChecked(groupName, checked);
    return this.#persistRule(groupName, checked.definition.name, definition, checked);
  }

  #addChecked(groupName: string, checked: CheckedRule): void {
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
   * Replaces a rule (its alerts start over); answers false when there is no such rule. With a
   * store, as `addRule`.
   *
   * @throws at once: what `checkRule` throws; InvalidRuleError when the new name is another
   *   rule's.
   */
  async replaceRule(
    groupName: string,
    name: string,
    definition: AlertRuleDefinition,
  ): Promise<boolean> {
    const checked = checkRule(definition);
    if (!this.#replaceChecked(groupName, name, checked)) return false;
    if (name !== checked.definition.name) await this.#persistRule(groupName, name, undefined);
    await this.#persistRule(groupName, checked.definition.name, definition, checked);
    return true;
  }

  #replaceChecked(groupName: string, name: string, checked: CheckedRule): boolean {
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

  /** Removes a rule; answers whether it was there. A group left empty goes too. With a store, as `addRule`. */
  async removeRule(groupName: string, name: string): Promise<boolean> {
    if (!this.#removeRule(groupName, name)) return false;
    await this.#persistRule(groupName, name, undefined);
    return true;
  }

  #removeRule(groupName: string, name: string): boolean {
    const group = this.#groups.get(groupName);
    const index = group?.rules.findIndex(({ definition: d }) => d.name === name) ?? -1;
    if (group === undefined || index === -1) return false;
    group.rules.splice(index, 1);
    if (group.rules.length === 0) this.#groups.delete(groupName);
    return true;
  }

  /** Stores a run-time change (not a function rule's: code cannot be stored). */
  async #persistRule(
    group: string,
    name: string,
    definition: AlertRuleDefinition | undefined,
    checked?: CheckedRule,
  ): Promise<void> {
    const records = this.#records;
    if (records === undefined || checked?.definition.function === true) return;
    const version = await records.writeRuntimeRule({
      group,
      name,
      ...(definition === undefined ? {} : { definition }),
    });
    this.#runtimeVersions.set(ruleKey(group, name), version);
    if (definition === undefined) await records.deleteState(group, name);
  }

  /** Takes up the run-time rule changes other engines (or this one, before a restart) stored. */
  async #syncRuntimeRules(records: AlertRecords): Promise<void> {
    for (const { key, version, value } of await records.runtimeRules()) {
      if (this.#runtimeVersions.get(key) === version) continue;
      this.#runtimeVersions.set(key, version);
      try {
        if (value.definition === undefined) {
          this.#removeRule(value.group, value.name);
          continue;
        }
        const checked = checkRule(value.definition);
        if (!this.#replaceChecked(value.group, value.name, checked))
          this.#addChecked(value.group, checked);
      } catch (error) {
        this.#report(error, `stored rule ${value.group}/${value.name}`);
      }
    }
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

  /**
   * The alerts held now, pending and firing (not the resolved ones kept for 15 minutes). An
   * engine that does not lead shows the leader's, as last stored.
   */
  alerts(): Alert[] {
    const out: Alert[] = [];
    for (const group of this.#groups.values()) {
      for (const { rule } of group.rules) {
        for (const alert of rule.alerts()) if (alert.state !== 'inactive') out.push(alert);
      }
    }
    return out;
  }

  /** Every alert held: pending, firing, and resolved in the last 15 minutes. */
  #held(): Alert[] {
    const out: Alert[] = [];
    for (const group of this.#groups.values()) {
      for (const { rule } of group.rules) out.push(...rule.alerts());
    }
    return out;
  }

  /**
   * Sends a synthetic alert through the notifiers watching this engine (their real routes and
   * channels, at once), to check a channel end to end: a rule's name (its labels and
   * `alertname`) or labels. Answers whether a notifier was listening.
   *
   * @throws InvalidRuleError for a rule name the engine does not have.
   */
  testFire(ruleOrLabels: string | Labels): boolean {
    let labels: Labels;
    if (typeof ruleOrLabels === 'string') {
      const rule = this.rules().find((r) => r.name === ruleOrLabels);
      if (rule === undefined)
        throw new InvalidRuleError(`no rule named ${JSON.stringify(ruleOrLabels)}`);
      labels = { ...rule.labels, alertname: rule.name };
    } else {
      labels = { alertname: 'VigilTest', ...ruleOrLabels };
    }
    if (this.listenerCount('test-fire') === 0) return false;
    this.#emit('test-fire', { labels });
    return true;
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
          labels: definition.labels,
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
   * current time, for the rules to read as `metric{labels}`. With a store, it is written there
   * (with this engine's `instance`) at the next cycle.
   */
  addPoint(metric: string, value: number, labels: Labels = {}): void {
    const full = { ...labels, [METRIC_NAME]: metric };
    const now = this.#config.clock.now();
    if (this.#config.store === undefined) this.#history.append(full, now, value);
    else this.#batch.push(seriesPoint({ ...full, instance: this.#config.instance }, now, value));
  }

  /**
   * The rules as a Prometheus rule file (YAML), for `promtool` and Prometheus.
   *
   * @throws InvalidRuleError when there is a function rule, unless `omitFunctionRules`.
   */
  toPrometheusRules(options?: ExportOptions): string {
    return toPrometheusRules(
      [...this.#groups.values()].map((group) => ({
        name: group.name,
        interval: group.interval === this.#config.evaluationInterval ? undefined : group.interval,
        rules: group.rules,
      })),
      options,
    );
  }

  /**
   * Runs one cycle now: samples the registry, evaluates every group (the timer's cycles evaluate
   * each group at its own interval), answers the transitions (none when another engine leads).
   * A cycle already running is joined, not started again.
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

  /**
   * Stops the cycles; waits for one running. With a store, gives the lease up, so that another
   * engine takes over at its next cycle.
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) this.#config.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
    const { store, leaseName, instance } = this.#config;
    if (store !== undefined && this.#lease !== undefined) {
      this.#depose();
      await store.leases
        .release(leaseName, instance)
        .catch((error: unknown) => this.#report(error, 'release the lease'));
    }
    this.#alertsSeries?.clear();
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
    let transitions: AlertTransition[] = [];
    if (this.#records === undefined) {
      this.#history.deleteBefore(now - retention);
      transitions = await this.#evaluateGroups(now, everyGroup, undefined);
    } else {
      transitions = await this.#sharedCycle(this.#records, now, everyGroup);
    }
    this.#publish(transitions);
    if (this.leader) {
      this.#alertsSeries?.update(this.alerts());
      if (this.listenerCount('evaluated') > 0)
        this.#emit('evaluated', { at: now, alerts: this.#held() });
    }
    this.#cycleSeconds?.observe((performance.now() - started) / 1000);
    return transitions;
  }

  /**
   * A cycle with a store: write this engine's samples, campaign for the lease, take up run-time
   * rules; then the leader reads the fleet's new points and evaluates, the others mirror its
   * alerts.
   */
  async #sharedCycle(
    records: AlertRecords,
    now: number,
    everyGroup: boolean,
  ): Promise<AlertTransition[]> {
    const shared = this.#shared as SharedHistory;
    const batch = this.#batch;
    this.#batch = [];
    await shared.write(batch).catch((error: unknown) => this.#report(error, 'write samples'));
    const elected = await this.#campaign();
    try {
      await this.#syncRuntimeRules(records);
    } catch (error) {
      this.#report(error, 'read run-time rules');
    }
    const lease = this.#lease;
    if (lease === undefined) {
      await this.#mirror(records).catch((error: unknown) => this.#report(error, 'read alerts'));
      return [];
    }
    const window = Math.min(this.#window(), this.#config.retention);
    try {
      if (elected || this.#loadedTo === undefined) {
        this.#history = new MemorySeries();
        await shared.load(this.#history, now - window, now + 1);
        await this.#restore(records, now);
      } else {
        // Overlapping the last read catches points other engines wrote late.
        const from = this.#loadedTo - 2 * this.#config.evaluationInterval;
        await shared.load(this.#history, from, now + 1);
      }
      this.#loadedTo = now + 1;
    } catch (error) {
      // Without the fleet's history (or the alerts' state) this cycle's answers would be wrong.
      this.#report(error, 'read history');
      this.#loadedTo = undefined;
      return [];
    }
    this.#history.deleteBefore(now - window);
    // A series nobody wrote for three intervals ended (its instance died, or stopped exporting it).
    this.#history.markStale(now - 3 * this.#config.evaluationInterval, now);
    return this.#evaluateGroups(now, everyGroup, { records, token: lease.token });
  }

  /** Takes or renews the lease; answers whether this engine was just elected. */
  async #campaign(): Promise<boolean> {
    const { store, leaseName, instance, leaseTtl } = this.#config;
    const previous = this.#lease;
    let lease: Lease | undefined;
    try {
      lease = await (store as AlertStore).leases.acquire(leaseName, instance, leaseTtl);
    } catch (error) {
      // A store failure counts as losing the lease: never two leaders knowingly.
      this.#report(error, 'the leader lease');
    }
    if (lease === undefined) {
      if (previous !== undefined) this.#depose();
      return false;
    }
    this.#lease = lease;
    if (previous?.token === lease.token) return false;
    this.#leaderGauge?.set(1);
    this.#emit('leadership', { leader: true, token: lease.token });
    return true;
  }

  #depose(): void {
    this.#lease = undefined;
    this.#loadedTo = undefined;
    this.#leaderGauge?.set(0);
    this.#alertsSeries?.clear();
    this.#emit('leadership', { leader: false, token: undefined });
  }

  /** How far back the rules read, ms. */
  #window(): number {
    let window = 0;
    for (const group of this.#groups.values()) {
      for (const { rule } of group.rules) {
        const { expr } = rule.config;
        window = Math.max(
          window,
          typeof expr === 'function' ? FUNCTION_RULE_WINDOW : historyWindow(expr),
        );
      }
    }
    return window;
  }

  /** A new leader's alerts: the stored ones, restored as Prometheus restores `for`. */
  async #restore(records: AlertRecords, now: number): Promise<void> {
    const [states, lastEvaluation] = await Promise.all([
      records.states(),
      records.lastEvaluation(),
    ]);
    for (const group of this.#groups.values()) {
      for (const { rule } of group.rules) {
        const state = states.get(ruleKey(group.name, rule.name));
        if (state === undefined) {
          rule.restore([]);
          continue;
        }
        const evaluatedAt = Math.max(state.evaluatedAt, lastEvaluation ?? 0);
        rule.restore(
          restoreForState(state.alerts, evaluatedAt, now, rule.config.holdDuration, this.#config),
        );
      }
    }
  }

  /** An engine that does not lead shows the leader's alerts, as last stored. */
  async #mirror(records: AlertRecords): Promise<void> {
    const states = await records.states();
    for (const group of this.#groups.values()) {
      for (const { rule } of group.rules) {
        rule.restore(states.get(ruleKey(group.name, rule.name))?.alerts ?? []);
      }
    }
  }

  /** Evaluates the groups due; with a store, writes the changed rules' alerts, fenced. */
  async #evaluateGroups(
    now: number,
    everyGroup: boolean,
    fence: { readonly records: AlertRecords; readonly token: number } | undefined,
  ): Promise<AlertTransition[]> {
    const transitions: AlertTransition[] = [];
    const changed: { group: string; rule: AlertingRule }[] = [];
    // One selection cache per cycle: rules reading the same series select them once.
    const context = { source: this.#history, cache: new Map<string, unknown>() };
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
          let samples = rule.condition(now, context);
          if (samples instanceof Promise) samples = await this.#inTime(rule.name, samples);
          const made = rule.apply(now, samples);
          if (made.length > 0) {
            transitions.push(...made);
            changed.push({ group: group.name, rule });
          }
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
    if (fence !== undefined) await this.#persistStates(fence, changed, now);
    return transitions;
  }

  /** An async function rule's answer, or an error once the evaluation interval has passed. */
  #inTime<T>(rule: string, answer: Promise<T>): Promise<T> {
    const { timers, evaluationInterval } = this.#config;
    return new Promise<T>((resolve, reject) => {
      const timer = timers.setTimeout(() => {
        reject(
          new PromqlEvaluationError(
            `alert rule ${rule}: its function did not answer within the evaluation interval (${evaluationInterval} ms)`,
          ),
        );
      }, evaluationInterval);
      answer.then(
        (value) => {
          timers.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          timers.clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** Writes the changed rules' alerts and the cycle's time; a later leader's token deposes this one. */
  async #persistStates(
    fence: { readonly records: AlertRecords; readonly token: number },
    changed: readonly { group: string; rule: AlertingRule }[],
    now: number,
  ): Promise<void> {
    const { records, token } = fence;
    try {
      const writes = changed.map(({ group, rule }) => {
        const state: RuleStateRecord = { token, evaluatedAt: now, alerts: rule.records() };
        return records.writeState(group, rule.name, state);
      });
      writes.push(records.writeEvaluation(token, now));
      const written = await Promise.all(writes);
      if (written.includes(false) && this.#lease?.token === token) this.#depose();
    } catch (error) {
      this.#report(error, 'write alert state');
    }
  }

  #publish(transitions: readonly AlertTransition[]): void {
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
