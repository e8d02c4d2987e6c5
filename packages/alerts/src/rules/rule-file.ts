import { parse as parseYaml } from 'yaml';
import { InvalidRuleError } from '../errors.js';
import type { Expr } from '../promql/ast.js';
import { parseDuration } from '../promql/duration.js';
import { parsePromql } from '../promql/parse-promql.js';
import { AlertingRule } from './alerting-rule.js';
import { compileTemplates } from './template.js';

/** A rule as a Prometheus rule file writes it. */
export interface RuleFileRule {
  readonly alert?: string | undefined;
  readonly record?: string | undefined;
  readonly expr: string;
  readonly for?: string | undefined;
  readonly keep_firing_for?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  readonly annotations?: Readonly<Record<string, string>> | undefined;
}

/** A rule group as a Prometheus rule file writes it. */
export interface RuleFileGroup {
  readonly name: string;
  readonly interval?: string | undefined;
  readonly rules: readonly RuleFileRule[];
}

/** A recording rule: its expression's result stored under a new metric name. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: Expr;
  readonly labels: Readonly<Record<string, string>>;
}

/** A group, parsed: its rules in order, evaluated together. */
export interface ParsedRuleGroup {
  readonly name: string;
  /** ms; undefined: the engine's (or the test's) interval. */
  readonly interval: number | undefined;
  readonly rules: readonly (AlertingRule | RecordingRule)[];
}

const GROUP_KEYS = new Set(['name', 'interval', 'rules', 'limit', 'query_offset', 'labels']);
const RULE_KEYS = new Set([
  'alert',
  'record',
  'expr',
  'for',
  'keep_firing_for',
  'labels',
  'annotations',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(where: string, field: string, value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new InvalidRuleError(`${where}: ${field} should be a map of strings`);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      throw new InvalidRuleError(`${where}: ${field}.${key} should be a string`);
    }
    out[key] = String(item);
  }
  return out;
}

function duration(where: string, field: string, value: unknown): number {
  if (value === undefined || value === null) return 0;
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined) {
    throw new InvalidRuleError(
      `${where}: ${field} should be a duration such as 5m, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/**
 * Parses a Prometheus rule file (YAML: `groups` of `name`, `interval`, `rules`): each alerting
 * rule's expression parsed and its templates compiled, so that a rule Vigil cannot evaluate is
 * refused here, with where and why.
 *
 * @throws InvalidRuleError for a malformed file or rule; PromqlSyntaxError or
 *   UnsupportedPromqlError for an expression.
 */
export function parseRuleFile(text: string, source = 'rule file'): ParsedRuleGroup[] {
  return readRuleFile(text, source).map((group) => ({
    name: group.name,
    interval: group.interval,
    rules: group.rules.map((rule) => buildRule(rule)),
  }));
}

/** A rule of a rule file, its fields checked (durations in ms), its expression not yet parsed. */
export interface RuleFileEntry {
  readonly where: string;
  readonly alert: string | undefined;
  readonly record: string | undefined;
  readonly expr: string;
  readonly for: number;
  readonly keepFiringFor: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * Reads a Prometheus rule file's structure (YAML: `groups` of `name`, `interval`, `rules`),
 * checking every field; the expressions are parsed by whoever builds the rules.
 *
 * @throws InvalidRuleError for a malformed file or rule.
 */
export function readRuleFile(
  text: string,
  source = 'rule file',
): { name: string; interval: number | undefined; rules: RuleFileEntry[] }[] {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new InvalidRuleError(`${source}: not valid YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!isRecord(document) || !Array.isArray(document['groups'])) {
    throw new InvalidRuleError(`${source}: should be a map with a groups list`);
  }
  const names = new Set<string>();
  return (document['groups'] as unknown[]).map((group, g) => {
    const where = `${source}, group ${g + 1}`;
    if (!isRecord(group)) throw new InvalidRuleError(`${where}: should be a map`);
    for (const key of Object.keys(group)) {
      if (!GROUP_KEYS.has(key))
        throw new InvalidRuleError(`${where}: unknown field ${JSON.stringify(key)}`);
    }
    const name = group['name'];
    if (typeof name !== 'string' || name === '')
      throw new InvalidRuleError(`${where}: name is required`);
    if (names.has(name))
      throw new InvalidRuleError(`${where}: group name ${JSON.stringify(name)} is repeated`);
    names.add(name);
    const interval =
      group['interval'] === undefined ? undefined : duration(where, 'interval', group['interval']);
    const rules = group['rules'];
    if (!Array.isArray(rules))
      throw new InvalidRuleError(`${where} (${name}): rules should be a list`);
    return {
      name,
      interval,
      rules: rules.map((rule, r) => readRule(`${where} (${name}), rule ${r + 1}`, rule)),
    };
  });
}

function readRule(where: string, rule: unknown): RuleFileEntry {
  if (!isRecord(rule)) throw new InvalidRuleError(`${where}: should be a map`);
  for (const key of Object.keys(rule)) {
    if (!RULE_KEYS.has(key))
      throw new InvalidRuleError(`${where}: unknown field ${JSON.stringify(key)}`);
  }
  const alert = rule['alert'];
  const record = rule['record'];
  if ((alert === undefined) === (record === undefined)) {
    throw new InvalidRuleError(`${where}: give exactly one of alert and record`);
  }
  const expr = rule['expr'];
  if (typeof expr !== 'string' && typeof expr !== 'number') {
    throw new InvalidRuleError(`${where}: expr is required`);
  }
  if (record !== undefined) {
    if (typeof record !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(record)) {
      throw new InvalidRuleError(
        `${where}: record should be a metric name, got ${JSON.stringify(record)}`,
      );
    }
    if (
      rule['for'] !== undefined ||
      rule['annotations'] !== undefined ||
      rule['keep_firing_for'] !== undefined
    ) {
      throw new InvalidRuleError(
        `${where}: for, keep_firing_for and annotations apply to alerting rules only`,
      );
    }
  } else if (typeof alert !== 'string' || alert === '') {
    throw new InvalidRuleError(`${where}: alert should be a name`);
  }
  return {
    where,
    alert: alert as string | undefined,
    record: record as string | undefined,
    expr: String(expr),
    for: duration(where, 'for', rule['for']),
    keepFiringFor: duration(where, 'keep_firing_for', rule['keep_firing_for']),
    labels: stringMap(where, 'labels', rule['labels']),
    annotations: stringMap(where, 'annotations', rule['annotations']),
  };
}

function buildRule(entry: RuleFileEntry): AlertingRule | RecordingRule {
  const parsed = parsePromql(entry.expr);
  if (entry.record !== undefined)
    return { record: entry.record, expr: parsed, labels: entry.labels };
  return new AlertingRule({
    name: entry.alert as string,
    expr: parsed,
    holdDuration: entry.for,
    keepFiringFor: entry.keepFiringFor,
    labels: compileTemplates(entry.where, entry.labels),
    annotations: compileTemplates(entry.where, entry.annotations),
  });
}
