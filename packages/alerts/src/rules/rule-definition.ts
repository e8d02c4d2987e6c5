import type { DurationInput } from '@vigil/core';
import {
  checkOptionsObject,
  invalidOption,
  optionalDuration,
  optionalString,
} from '@vigil/core/options';
import { parsePromql } from '../promql/parse-promql.js';
import { AlertingRule } from './alerting-rule.js';
import type { RuleFunction } from './rule-query.js';
import { compileTemplates } from './template.js';

/** An alert's severity: also its `severity` label. */
export type AlertSeverity = 'critical' | 'error' | 'warning' | 'info';

/** An alerting rule in code: Prometheus's alerting rule, with `severity` as a shorthand. */
export interface AlertRuleDefinition {
  /** The alert's name (`alertname`): letters, digits and `_`, as Prometheus's metric names. */
  name: string;
  /**
   * A PromQL expression: each series it returns is an alert. Or a function over the query
   * helpers, `(q) => samples | boolean` (may be async), for logic that needs the host's code:
   * such a rule cannot be exported to Prometheus, nor added over HTTP.
   */
  expr: string | RuleFunction;
  /** How long the condition holds before the alert fires; default 0 (at once). */
  for?: DurationInput | undefined;
  /** How long a firing alert keeps firing after its condition stops holding; default 0. */
  keepFiringFor?: DurationInput | undefined;
  /** Labels added to each alert; templates (`{{ $labels.route }}`). */
  labels?: Readonly<Record<string, string>> | undefined;
  /** Annotations of each alert (`summary`, `description`, `runbook_url`); templates. */
  annotations?: Readonly<Record<string, string>> | undefined;
  /** Sets the `severity` label. */
  severity?: AlertSeverity | undefined;
}

/** A group of rules evaluated together, in order. */
export interface RuleGroupDefinition {
  name: string;
  /** How often the group is evaluated; default: the engine's evaluation interval. */
  interval?: DurationInput | undefined;
  rules: readonly AlertRuleDefinition[];
}

/** @internal A rule definition checked: the rule, and what it was made from (for export). */
export interface CheckedRule {
  readonly rule: AlertingRule;
  readonly definition: {
    readonly name: string;
    /** The PromQL, or `<function name>` for a function rule. */
    readonly expr: string;
    /** A function rule: not exportable. */
    readonly function: boolean;
    readonly for: number;
    readonly keepFiringFor: number;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
}

const RULE_KEYS = [
  'name',
  'expr',
  'for',
  'keepFiringFor',
  'labels',
  'annotations',
  'severity',
] as const;
const SEVERITIES: readonly AlertSeverity[] = ['critical', 'error', 'warning', 'info'];
const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function templates(owner: string, field: string, map: unknown): Record<string, string> {
  if (map === undefined) return {};
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw invalidOption(owner, `${field} should be a map of strings`);
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(map)) {
    if (!NAME.test(name))
      throw invalidOption(owner, `${field}: ${JSON.stringify(name)} is not a label name`);
    if (typeof value !== 'string')
      throw invalidOption(owner, `${field}.${name} should be a string`);
    out[name] = value;
  }
  return out;
}

/**
 * Checks a rule definition and builds its rule: the expression parsed (refused if Vigil cannot
 * evaluate it), the templates compiled.
 *
 * @throws ConfigurationError for a malformed definition; PromqlSyntaxError,
 *   UnsupportedPromqlError or InvalidRuleError (a template) for what it says.
 */
export function checkRule(definition: AlertRuleDefinition): CheckedRule {
  const given = checkOptionsObject('alert rule', definition, RULE_KEYS, { required: true });
  const name = optionalString('alert rule', 'name', given['name']);
  if (name === undefined || !NAME.test(name)) {
    throw invalidOption(
      'alert rule',
      `name should be letters, digits and _ (such as HighErrorRate), got ${JSON.stringify(given['name'])}`,
    );
  }
  const owner = `alert rule ${name}`;
  const givenExpr = given['expr'];
  const isFunction = typeof givenExpr === 'function';
  const expr = isFunction
    ? `<function ${(givenExpr as RuleFunction).name || 'anonymous'}>`
    : optionalString(owner, 'expr', givenExpr);
  if (expr === undefined) {
    throw invalidOption(owner, 'expr is required: a PromQL expression, or a function (q) => …');
  }
  const parsed = isFunction ? (givenExpr as RuleFunction) : parsePromql(expr);
  const labels = templates(owner, 'labels', given['labels']);
  const severity = given['severity'];
  if (severity !== undefined) {
    if (!SEVERITIES.includes(severity as AlertSeverity)) {
      throw invalidOption(
        owner,
        `severity should be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(severity)}`,
      );
    }
    labels['severity'] = severity as string;
  }
  const annotations = templates(owner, 'annotations', given['annotations']);
  const holdDuration = optionalDuration(owner, 'for', given['for']) ?? 0;
  const keepFiringFor = optionalDuration(owner, 'keepFiringFor', given['keepFiringFor']) ?? 0;
  const rule = new AlertingRule({
    name,
    expr: parsed,
    holdDuration,
    keepFiringFor,
    labels: compileTemplates(owner, labels),
    annotations: compileTemplates(owner, annotations),
  });
  return {
    rule,
    definition: {
      name,
      expr,
      function: isFunction,
      for: holdDuration,
      keepFiringFor,
      labels,
      annotations,
    },
  };
}
