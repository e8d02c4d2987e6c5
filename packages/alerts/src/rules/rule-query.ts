import type { DurationInput } from '@vigil/core';
import { invalidOption, optionalDuration } from '@vigil/core/options';
import { InvalidRuleError } from '../errors.js';
import { aggregateSamples } from '../promql/aggregate.js';
import type {
  AggregateOp,
  Expr,
  LabelMatcher,
  MatrixSelector,
  VectorSelector,
} from '../promql/ast.js';
import { type EvaluationContext, evaluate } from '../promql/evaluate.js';
import { METRIC_NAME } from '../promql/labels.js';
import { parsePromql } from '../promql/parse-promql.js';
import { type Sample, samplesOf } from '../promql/values.js';

/**
 * Conditions on labels, as `@vigil/storage`'s: a string matches exactly, a RegExp matches the
 * whole value (anchored, as PromQL's `=~`; its flags are ignored), `{ not }` negates either.
 */
export type SeriesMatchers = Readonly<
  Record<string, string | RegExp | { readonly not: string | RegExp }>
>;

/** How an aggregation groups: `by` these labels, or `without` them; default: everything in one. */
export type Grouping =
  | { readonly by: readonly string[]; readonly without?: undefined }
  | { readonly without: readonly string[]; readonly by?: undefined };

/** What a function rule answers: the samples that are alerts, or whether one alert (no labels) holds. */
export type RuleResult = readonly Sample[] | boolean;

/** A rule's condition in code: `(q) => …` over the query helpers, for logic PromQL cannot say. */
export type RuleFunction = (q: RuleQuery) => RuleResult | Promise<RuleResult>;

/** The range functions `RuleQuery` offers, by method name. */
const RANGE_FUNCTIONS = {
  rate: 'rate',
  irate: 'irate',
  increase: 'increase',
  delta: 'delta',
  idelta: 'idelta',
  deriv: 'deriv',
  changes: 'changes',
  resets: 'resets',
  avgOverTime: 'avg_over_time',
  minOverTime: 'min_over_time',
  maxOverTime: 'max_over_time',
  sumOverTime: 'sum_over_time',
  countOverTime: 'count_over_time',
  lastOverTime: 'last_over_time',
  stddevOverTime: 'stddev_over_time',
} as const;

type RangeHelper = (
  metric: string,
  range: DurationInput,
  labels?: SeriesMatchers,
) => readonly Sample[];
type AggregationHelper = (samples: readonly Sample[], grouping?: Grouping) => readonly Sample[];

/**
 * The query helpers a function rule gets: the operations of Vigil's PromQL subset, typed, over the
 * same history and with the same semantics (5-minute lookback, rate extrapolation, staleness).
 * Every helper reads the history at the evaluation time `q.time`.
 */
export interface RuleQuery extends Record<keyof typeof RANGE_FUNCTIONS, RangeHelper> {
  /** The evaluation time, ms since the epoch. */
  readonly time: number;
  /** A PromQL expression's samples now (a scalar: one sample without labels). Parsed once per rule. */
  query(promql: string): readonly Sample[];
  /** Each series' latest value within the lookback: an instant selector, `metric{labels}`. */
  select(metric: string, labels?: SeriesMatchers): readonly Sample[];
  /** `quantile_over_time(phi, metric{labels}[range])`. */
  quantileOverTime(
    phi: number,
    metric: string,
    range: DurationInput,
    labels?: SeriesMatchers,
  ): readonly Sample[];
  /** `predict_linear(metric{labels}[range], seconds)`. */
  predictLinear(
    metric: string,
    range: DurationInput,
    seconds: number,
    labels?: SeriesMatchers,
  ): readonly Sample[];
  /** Whether no series of `metric{labels}` has a value now: `absent(…)`. */
  absent(metric: string, labels?: SeriesMatchers): boolean;
  /**
   * `histogram_quantile(phi, sum by (le, …by) (rate(metric_bucket{labels}[range])))`: `metric` is
   * the histogram's name, without `_bucket`.
   */
  histogramQuantile(
    phi: number,
    metric: string,
    range: DurationInput,
    options?: { readonly labels?: SeriesMatchers; readonly by?: readonly string[] },
  ): readonly Sample[];
  sum: AggregationHelper;
  avg: AggregationHelper;
  min: AggregationHelper;
  max: AggregationHelper;
  count: AggregationHelper;
  stddev: AggregationHelper;
  topk(k: number, samples: readonly Sample[], grouping?: Grouping): readonly Sample[];
  bottomk(k: number, samples: readonly Sample[], grouping?: Grouping): readonly Sample[];
  quantile(phi: number, samples: readonly Sample[], grouping?: Grouping): readonly Sample[];
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const AT = { from: 0, to: 0 };

function matcher(name: string, condition: unknown): LabelMatcher {
  if (typeof condition === 'string') return { name, type: '=', value: condition };
  if (condition instanceof RegExp) return { name, type: '=~', value: condition.source };
  if (typeof condition === 'object' && condition !== null && 'not' in condition) {
    const not = (condition as { not: unknown }).not;
    if (typeof not === 'string') return { name, type: '!=', value: not };
    if (not instanceof RegExp) return { name, type: '!~', value: not.source };
  }
  throw invalidOption(
    'rule query',
    `label ${name}: a matcher is a string, a RegExp or { not: string | RegExp }`,
  );
}

function selector(metric: string, labels: SeriesMatchers | undefined): VectorSelector {
  if (typeof metric !== 'string' || !METRIC.test(metric)) {
    throw invalidOption('rule query', `${JSON.stringify(metric)} is not a metric name`);
  }
  const matchers: LabelMatcher[] = [{ name: METRIC_NAME, type: '=', value: metric }];
  for (const [name, condition] of Object.entries(labels ?? {})) {
    if (!LABEL.test(name)) {
      throw invalidOption('rule query', `${JSON.stringify(name)} is not a label name`);
    }
    matchers.push(matcher(name, condition));
  }
  return { kind: 'vector-selector', type: 'vector', position: AT, matchers, offset: 0 };
}

function matrix(
  metric: string,
  range: DurationInput,
  labels: SeriesMatchers | undefined,
): MatrixSelector {
  const ms = optionalDuration('rule query', 'range', range, { positive: true });
  if (ms === undefined) throw invalidOption('rule query', 'a range is required, such as "5m"');
  return {
    kind: 'matrix-selector',
    type: 'matrix',
    position: AT,
    selector: selector(metric, labels),
    range: ms,
  };
}

function call(name: string, args: readonly Expr[]): Expr {
  return { kind: 'call', type: 'vector', position: AT, name, args };
}

function number(value: number): Expr {
  if (typeof value !== 'number')
    throw invalidOption('rule query', 'a parameter should be a number');
  return { kind: 'number', type: 'scalar', position: AT, value };
}

function grouped(grouping: Grouping | undefined): { without: boolean; labels: readonly string[] } {
  if (grouping === undefined) return { without: false, labels: [] };
  if (grouping.without !== undefined) return { without: true, labels: grouping.without };
  return { without: false, labels: grouping.by ?? [] };
}

/**
 * @internal The query helpers of one rule at one evaluation. `parsed` keeps the rule's PromQL
 * strings parsed across evaluations.
 */
export function ruleQuery(
  time: number,
  context: EvaluationContext,
  parsed: Map<string, Expr>,
): RuleQuery {
  const run = (expr: Expr): readonly Sample[] => samplesOf(evaluate(expr, time, context)) ?? [];
  const aggregation =
    (op: AggregateOp): AggregationHelper =>
    (samples, grouping) =>
      aggregateSamples(op, samples, { ...grouped(grouping), param: Number.NaN });
  const withParam =
    (op: AggregateOp) =>
    (param: number, samples: readonly Sample[], grouping?: Grouping): readonly Sample[] =>
      aggregateSamples(op, samples, { ...grouped(grouping), param });
  const ranges = Object.fromEntries(
    Object.entries(RANGE_FUNCTIONS).map(([method, name]) => [
      method,
      (metric: string, range: DurationInput, labels?: SeriesMatchers) =>
        run(call(name, [matrix(metric, range, labels)])),
    ]),
  ) as Record<keyof typeof RANGE_FUNCTIONS, RangeHelper>;
  return {
    time,
    ...ranges,
    query(promql) {
      let expr = parsed.get(promql);
      if (expr === undefined) {
        expr = parsePromql(promql);
        parsed.set(promql, expr);
      }
      return run(expr);
    },
    select: (metric, labels) => run(selector(metric, labels)),
    quantileOverTime: (phi, metric, range, labels) =>
      run(call('quantile_over_time', [number(phi), matrix(metric, range, labels)])),
    predictLinear: (metric, range, seconds, labels) =>
      run(call('predict_linear', [matrix(metric, range, labels), number(seconds)])),
    absent: (metric, labels) => run(call('absent', [selector(metric, labels)])).length > 0,
    histogramQuantile(phi, metric, range, options = {}) {
      const rates = call('rate', [matrix(`${metric}_bucket`, range, options.labels)]);
      const summed: Expr = {
        kind: 'aggregate',
        type: 'vector',
        position: AT,
        op: 'sum',
        param: undefined,
        expr: rates,
        without: false,
        labels: ['le', ...(options.by ?? [])],
      };
      return run(call('histogram_quantile', [number(phi), summed]));
    },
    sum: aggregation('sum'),
    avg: aggregation('avg'),
    min: aggregation('min'),
    max: aggregation('max'),
    count: aggregation('count'),
    stddev: aggregation('stddev'),
    topk: withParam('topk'),
    bottomk: withParam('bottomk'),
    quantile: withParam('quantile'),
  };
}

/** @internal What a function rule answered, as samples; refuses anything else. */
export function resultSamples(rule: string, result: unknown): readonly Sample[] {
  if (result === true) return [{ labels: {}, value: 1 }];
  if (result === false) return [];
  if (Array.isArray(result)) {
    for (const sample of result) {
      if (
        typeof sample !== 'object' ||
        sample === null ||
        typeof sample.value !== 'number' ||
        typeof sample.labels !== 'object' ||
        sample.labels === null
      ) {
        throw new InvalidRuleError(
          `alert rule ${rule}: a function rule answers samples ({ labels, value }) or a boolean`,
        );
      }
    }
    return result as readonly Sample[];
  }
  throw new InvalidRuleError(
    `alert rule ${rule}: a function rule answers samples ({ labels, value }) or a boolean, got ${typeof result}`,
  );
}
