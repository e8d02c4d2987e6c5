import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InvalidRuleError } from '../errors.js';
import { parseDuration } from '../promql/duration.js';
import { evaluate } from '../promql/evaluate.js';
import {
  compareLabels,
  formatLabels,
  type Labels,
  labelsKey,
  METRIC_NAME,
} from '../promql/labels.js';
import { MemorySeries } from '../promql/memory-series.js';
import { parsePromql } from '../promql/parse-promql.js';
import { type Sample, samplesOf } from '../promql/values.js';
import { AlertingRule } from '../rules/alerting-rule.js';
import { type ParsedRuleGroup, parseRuleFile, type RecordingRule } from '../rules/rule-file.js';
import { prometheusDuration } from '../rules/to-prometheus-rules.js';
import { parseSeriesLabels } from './series-labels.js';
import { expandSeriesValues } from './series-notation.js';

/** What `runRuleTests` answers for one test file. */
export interface RuleTestResult {
  readonly file: string;
  readonly passed: boolean;
  /** One entry per failed check, in promtool's words. */
  readonly failures: readonly string[];
}

type Doc = Record<string, unknown>;

const FILE_KEYS = new Set(['rule_files', 'evaluation_interval', 'group_eval_order', 'tests']);
const GROUP_KEYS = new Set([
  'interval',
  'input_series',
  'alert_rule_test',
  'promql_expr_test',
  'external_labels',
  'name',
]);

function isDoc(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function durationOf(where: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const ms = parseDuration(String(value));
  if (ms === undefined)
    throw new InvalidRuleError(`${where}: bad duration ${JSON.stringify(value)}`);
  return ms;
}

function checkKeys(where: string, doc: Doc, known: Set<string>): void {
  for (const key of Object.keys(doc)) {
    if (!known.has(key))
      throw new InvalidRuleError(`${where}: unknown field ${JSON.stringify(key)}`);
  }
}

function almostEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

interface LabelledPair {
  readonly labels: Labels;
  readonly annotations: Labels;
}

function sortPairs(pairs: LabelledPair[]): LabelledPair[] {
  return pairs.sort(
    (a, b) => compareLabels(a.labels, b.labels) || compareLabels(a.annotations, b.annotations),
  );
}

function describePairs(pairs: readonly LabelledPair[]): string {
  if (pairs.length === 0) return '[]';
  return `[${pairs.map((p, i) => `\n  ${i}: labels ${formatLabels(p.labels)}, annotations ${formatLabels(p.annotations)}`).join(',')}\n]`;
}

/**
 * Runs a Prometheus rule unit-test file (the `promtool test rules` format: `rule_files`,
 * `evaluation_interval`, `tests` with `input_series`, `alert_rule_test` and `promql_expr_test`)
 * through Vigil's evaluator, as promtool runs it: the rules are evaluated every
 * `evaluation_interval` from 0 to the last `eval_time`, and an alert test compares the firing
 * alerts of the evaluation at or just before its `eval_time`.
 *
 * @throws InvalidRuleError for a test file or rule file that cannot be read; PromqlSyntaxError or
 *   UnsupportedPromqlError for a rule Vigil cannot evaluate.
 */
export async function runRuleTests(testFile: string): Promise<RuleTestResult> {
  const text = await readFile(testFile, 'utf8');
  const doc: unknown = parseYaml(text);
  if (!isDoc(doc)) throw new InvalidRuleError(`${testFile}: should be a map`);
  checkKeys(testFile, doc, FILE_KEYS);
  const evalInterval = durationOf(testFile, doc['evaluation_interval'], 60_000);
  const ruleFiles = ((doc['rule_files'] as unknown[] | undefined) ?? []).map((file) =>
    isAbsolute(String(file)) ? String(file) : join(dirname(testFile), String(file)),
  );
  const ruleTexts = await Promise.all(
    ruleFiles.map(async (file) => [file, await readFile(file, 'utf8')] as const),
  );
  const order = ((doc['group_eval_order'] as unknown[] | undefined) ?? []).map(String);
  const failures: string[] = [];
  for (const [index, group] of ((doc['tests'] as unknown[] | undefined) ?? []).entries()) {
    if (!isDoc(group)) throw new InvalidRuleError(`${testFile}: test ${index + 1} should be a map`);
    checkKeys(`${testFile}, test ${index + 1}`, group, GROUP_KEYS);
    // Fresh rules per test group: alert state does not carry over.
    const groups = ruleTexts.flatMap(([file, content]) => parseRuleFile(content, file));
    const rank = (g: ParsedRuleGroup): number =>
      order.includes(g.name) ? order.indexOf(g.name) : 0;
    groups.sort((a, b) => rank(a) - rank(b));
    failures.push(...runTestGroup(group, groups, evalInterval, testFile));
  }
  return { file: testFile, passed: failures.length === 0, failures };
}

function runTestGroup(
  group: Doc,
  groups: ParsedRuleGroup[],
  evalInterval: number,
  file: string,
): string[] {
  const name = group['name'] === undefined ? '' : `    name: ${String(group['name'])},\n`;
  const interval = durationOf(file, group['interval'], 60_000);
  const source = new MemorySeries();
  for (const input of (group['input_series'] as Doc[] | undefined) ?? []) {
    const labels = parseSeriesLabels(String(input['series'] ?? ''));
    expandSeriesValues(String(input['values'] ?? '')).forEach((value, i) => {
      if (value !== undefined) source.append(labels, i * interval, value);
    });
  }
  const alertTests = ((group['alert_rule_test'] as Doc[] | undefined) ?? []).map((test) => ({
    evalTime: durationOf(file, test['eval_time'], 0),
    alertname: String(test['alertname'] ?? ''),
    expected: ((test['exp_alerts'] as Doc[] | null | undefined) ?? []).map((alert) => ({
      labels: { ...stringMap(alert['exp_labels']), alertname: String(test['alertname']) },
      annotations: stringMap(alert['exp_annotations']),
    })),
  }));
  const exprTests = ((group['promql_expr_test'] as Doc[] | undefined) ?? []).map((test) => ({
    expr: String(test['expr']),
    evalTime: durationOf(file, test['eval_time'], 0),
    expected: ((test['exp_samples'] as Doc[] | null | undefined) ?? []).map((sample) => ({
      labels: parseSeriesLabels(String(sample['labels'] ?? '')),
      value: Number(sample['value']),
    })),
  }));
  for (const test of alertTests) {
    if (test.alertname === '') {
      return [
        `an item under alert_rule_test misses required attribute alertname at eval_time ${prometheusDuration(test.evalTime)}`,
      ];
    }
  }
  const maxEval = Math.max(
    0,
    ...alertTests.map((t) => t.evalTime),
    ...exprTests.map((t) => t.evalTime),
  );
  const pending = [...alertTests].sort((a, b) => a.evalTime - b.evalTime);
  const failures: string[] = [];
  const context = { source };
  for (let ts = 0; ts <= maxEval; ts += evalInterval) {
    const errors: string[] = [];
    for (const ruleGroup of groups) {
      for (const rule of ruleGroup.rules) {
        try {
          if (rule instanceof AlertingRule) rule.evaluate(ts, context);
          else record(rule, ts, source);
        } catch (error) {
          const ruleName = rule instanceof AlertingRule ? rule.name : rule.record;
          errors.push(
            `    rule: ${ruleName}, time: ${prometheusDuration(ts)}, err: ${(error as Error).message}`,
          );
        }
      }
    }
    if (errors.length > 0) return [...failures, ...errors];
    while (pending.length > 0 && (pending[0]?.evalTime ?? 0) < ts + evalInterval) {
      const test = pending.shift() as (typeof alertTests)[number];
      if (test.evalTime < ts) continue;
      const got: LabelledPair[] = [];
      for (const ruleGroup of groups) {
        for (const rule of ruleGroup.rules) {
          if (!(rule instanceof AlertingRule) || rule.name !== test.alertname) continue;
          for (const alert of rule.alerts()) {
            if (alert.state === 'firing')
              got.push({ labels: alert.labels, annotations: alert.annotations });
          }
        }
      }
      const expected = sortPairs([...test.expected]);
      sortPairs(got);
      const same =
        expected.length === got.length &&
        expected.every(
          (e, i) =>
            labelsKey(e.labels) === labelsKey((got[i] as LabelledPair).labels) &&
            labelsKey(e.annotations) === labelsKey((got[i] as LabelledPair).annotations),
        );
      if (!same) {
        failures.push(
          `${name}    alertname: ${test.alertname}, time: ${prometheusDuration(test.evalTime)}, \n        exp:${describePairs(expected)}, \n        got:${describePairs(got)}`,
        );
      }
    }
  }
  for (const test of exprTests) {
    let got: Sample[];
    try {
      const samples = samplesOf(evaluate(parsePromql(test.expr), test.evalTime, context));
      if (samples === undefined) throw new Error('rule result is not a vector or scalar');
      got = [...samples];
    } catch (error) {
      failures.push(
        `    expr: ${JSON.stringify(test.expr)}, time: ${prometheusDuration(test.evalTime)}, err: ${(error as Error).message}`,
      );
      continue;
    }
    const byLabels = (a: { labels: Labels }, b: { labels: Labels }): number =>
      compareLabels(a.labels, b.labels);
    const expected = [...test.expected].sort(byLabels);
    got.sort(byLabels);
    const same =
      expected.length === got.length &&
      expected.every((e, i) => {
        const g = got[i] as { labels: Labels; value: number };
        return labelsKey(e.labels) === labelsKey(g.labels) && almostEqual(e.value, g.value);
      });
    if (!same) {
      const show = (samples: { labels: Labels; value: number }[]): string =>
        samples.length === 0
          ? 'nil'
          : samples.map((s) => `${formatLabels(s.labels)} ${s.value}`).join(', ');
      failures.push(
        `${name}    expr: ${JSON.stringify(test.expr)}, time: ${prometheusDuration(test.evalTime)},\n        exp: ${show(expected)}\n        got: ${show(got)}`,
      );
    }
  }
  return failures;
}

function stringMap(value: unknown): Record<string, string> {
  if (!isDoc(value)) return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) out[key] = String(item);
  return out;
}

/** A recording rule's output, stored at `time` under its name, with its labels. */
function record(rule: RecordingRule, time: number, source: MemorySeries): void {
  for (const sample of samplesOf(evaluate(rule.expr, time, { source })) ?? []) {
    source.append(
      { ...sample.labels, ...rule.labels, [METRIC_NAME]: rule.record },
      time,
      sample.value,
    );
  }
}
