import type { Call, Expr, LabelMatcher, MatrixSelector } from './ast.js';
import type { Evaluator } from './evaluate.js';
import { histogramQuantile } from './histogram-quantile.js';
import { dropMetricName, type Labels, METRIC_NAME } from './labels.js';
import { linearRegression, quantile } from './statistics.js';
import type { RangeSeries, Sample, Value } from './values.js';

type RangeFunction = (
  series: RangeSeries,
  matrix: MatrixSelector,
  evaluator: Evaluator,
) => number | undefined;

/** `rate`, `increase` and `delta`: Prometheus's extrapolated rate. */
function extrapolatedRate(isCounter: boolean, isRate: boolean): RangeFunction {
  return ({ times, values, start, end }, matrix, evaluator) => {
    const n = end - start;
    if (n < 2) return undefined;
    const rangeEnd = evaluator.time - matrix.selector.offset;
    const rangeStart = rangeEnd - matrix.range;
    const first = values[start] as number;
    const last = values[end - 1] as number;
    let result = last - first;
    if (isCounter) {
      // A drop is a counter reset: the value before it was lost, add it back.
      let previous = 0;
      let correction = 0;
      for (let i = start; i < end; i++) {
        const value = values[i] as number;
        if (value < previous) correction += previous;
        previous = value;
      }
      result += correction;
    }
    const firstT = times[start] as number;
    const lastT = times[end - 1] as number;
    let durationToStart = (firstT - rangeStart) / 1000;
    const durationToEnd = (rangeEnd - lastT) / 1000;
    const sampled = (lastT - firstT) / 1000;
    const averageStep = sampled / (n - 1);
    if (isCounter && result > 0 && first >= 0) {
      // A counter does not go below zero: extrapolate to where it would have been zero at most.
      const durationToZero = sampled * (first / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    const threshold = averageStep * 1.1;
    let interval = sampled;
    interval += durationToStart < threshold ? durationToStart : averageStep / 2;
    interval += durationToEnd < threshold ? durationToEnd : averageStep / 2;
    // Prometheus's order of operations, for the same float.
    let factor = interval / sampled;
    if (isRate) factor /= matrix.range / 1000;
    return result * factor;
  };
}

/** `irate` and `idelta`: from the last two points. */
function instantValue(isRate: boolean): RangeFunction {
  return ({ times, values, start, end }) => {
    if (end - start < 2) return undefined;
    const last = values[end - 1] as number;
    const previous = values[end - 2] as number;
    const result = isRate && last < previous ? last : last - previous;
    if (!isRate) return result;
    const interval = ((times[end - 1] as number) - (times[end - 2] as number)) / 1000;
    if (interval === 0) return undefined;
    return result / interval;
  };
}

function overTime(reduce: (values: readonly number[]) => number): RangeFunction {
  return ({ values, start, end }) =>
    reduce(start === 0 && end === values.length ? values : values.slice(start, end));
}

function average(values: readonly number[]): number {
  // Prometheus's incremental mean.
  let mean = 0;
  let count = 0;
  for (const value of values) {
    count++;
    if (count === 1) mean = value;
    else mean += value / count - mean / count;
  }
  return mean;
}

function variance(values: readonly number[]): number {
  let count = 0;
  let mean = 0;
  let aux = 0;
  for (const value of values) {
    count++;
    const delta = value - mean;
    mean += delta / count;
    aux += delta * (value - mean);
  }
  return aux / count;
}

const RANGE_FUNCTIONS: Readonly<Record<string, RangeFunction>> = {
  rate: extrapolatedRate(true, true),
  increase: extrapolatedRate(true, false),
  delta: extrapolatedRate(false, false),
  irate: instantValue(true),
  idelta: instantValue(false),
  deriv: (series) =>
    series.end - series.start < 2
      ? undefined
      : linearRegression(series, series.times[series.start] as number).slope,
  changes: overTime((values) => {
    let changes = 0;
    for (let i = 1; i < values.length; i++) {
      const previous = values[i - 1] as number;
      const current = values[i] as number;
      if (current !== previous && !(Number.isNaN(current) && Number.isNaN(previous))) changes++;
    }
    return changes;
  }),
  resets: overTime((values) => {
    let resets = 0;
    for (let i = 1; i < values.length; i++)
      if ((values[i] as number) < (values[i - 1] as number)) resets++;
    return resets;
  }),
  avg_over_time: overTime(average),
  min_over_time: overTime((values) => {
    let min = values[0] as number;
    for (const value of values) if (value < min || Number.isNaN(min)) min = value;
    return min;
  }),
  max_over_time: overTime((values) => {
    let max = values[0] as number;
    for (const value of values) if (value > max || Number.isNaN(max)) max = value;
    return max;
  }),
  sum_over_time: overTime((values) => {
    let sum = 0;
    for (const value of values) sum += value;
    return sum;
  }),
  count_over_time: overTime((values) => values.length),
  stddev_over_time: overTime((values) => Math.sqrt(variance(values))),
  stdvar_over_time: overTime(variance),
  last_over_time: overTime((values) => values[values.length - 1] as number),
  present_over_time: overTime(() => 1),
};

const MATH: Readonly<Record<string, (value: number) => number>> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  sqrt: Math.sqrt,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sgn: (value) => (value > 0 ? 1 : value < 0 ? -1 : value),
};

/** The labels `absent()` gives: those of the selector's equality matchers, each set once. */
function absentLabels(arg: Expr): Labels {
  const selector =
    arg.kind === 'vector-selector'
      ? arg
      : arg.kind === 'matrix-selector'
        ? arg.selector
        : undefined;
  if (selector === undefined) return {};
  const labels: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const matcher of selector.matchers as readonly LabelMatcher[]) {
    if (matcher.name === METRIC_NAME || matcher.type !== '=') continue;
    if (matcher.name in labels) repeated.add(matcher.name);
    labels[matcher.name] = matcher.value;
  }
  for (const name of repeated) delete labels[name];
  return labels;
}

function vectorOf(samples: Sample[]): Value {
  return { type: 'vector', samples };
}

/** Evaluates a function call. */
export function callFunction(evaluator: Evaluator, call: Call): Value {
  const { name, args } = call;
  const rangeFunction = RANGE_FUNCTIONS[name];
  if (rangeFunction !== undefined) {
    const matrix = args[0] as MatrixSelector;
    const out: Sample[] = [];
    // last_over_time keeps the metric name, as in Prometheus; the others drop it.
    const keepName = name === 'last_over_time';
    for (const series of evaluator.range(matrix)) {
      const value = rangeFunction(series, matrix, evaluator);
      if (value === undefined) continue;
      out.push({ labels: keepName ? series.labels : dropMetricName(series.labels), value });
    }
    return vectorOf(out);
  }
  const math = MATH[name];
  if (math !== undefined) {
    return vectorOf(
      evaluator
        .vector(args[0] as Expr)
        .map((s) => ({ labels: dropMetricName(s.labels), value: math(s.value) })),
    );
  }
  switch (name) {
    case 'time':
      return { type: 'scalar', value: evaluator.time / 1000 };
    case 'vector':
      return vectorOf([{ labels: {}, value: evaluator.scalar(args[0] as Expr) }]);
    case 'scalar': {
      const samples = evaluator.vector(args[0] as Expr);
      return {
        type: 'scalar',
        value: samples.length === 1 ? (samples[0] as Sample).value : Number.NaN,
      };
    }
    case 'absent':
      return evaluator.vector(args[0] as Expr).length === 0
        ? vectorOf([{ labels: absentLabels(args[0] as Expr), value: 1 }])
        : vectorOf([]);
    case 'absent_over_time':
      return evaluator.range(args[0] as MatrixSelector).length === 0
        ? vectorOf([{ labels: absentLabels(args[0] as Expr), value: 1 }])
        : vectorOf([]);
    case 'quantile_over_time': {
      const q = evaluator.scalar(args[0] as Expr);
      const out: Sample[] = [];
      for (const series of evaluator.range(args[1] as MatrixSelector)) {
        out.push({
          labels: dropMetricName(series.labels),
          value: quantile(q, series.values.slice(series.start, series.end)),
        });
      }
      return vectorOf(out);
    }
    case 'predict_linear': {
      const seconds = evaluator.scalar(args[1] as Expr);
      const out: Sample[] = [];
      for (const series of evaluator.range(args[0] as MatrixSelector)) {
        if (series.end - series.start < 2) continue;
        const { slope, intercept } = linearRegression(series, evaluator.time);
        out.push({ labels: dropMetricName(series.labels), value: slope * seconds + intercept });
      }
      return vectorOf(out);
    }
    case 'histogram_quantile':
      return vectorOf(
        histogramQuantile(evaluator.scalar(args[0] as Expr), evaluator.vector(args[1] as Expr)),
      );
    case 'clamp_min':
    case 'clamp_max': {
      const bound = evaluator.scalar(args[1] as Expr);
      const clamp = name === 'clamp_min' ? Math.max : Math.min;
      return vectorOf(
        evaluator.vector(args[0] as Expr).map((s) => ({
          labels: dropMetricName(s.labels),
          value: Number.isNaN(s.value) || Number.isNaN(bound) ? Number.NaN : clamp(s.value, bound),
        })),
      );
    }
    case 'clamp': {
      const min = evaluator.scalar(args[1] as Expr);
      const max = evaluator.scalar(args[2] as Expr);
      if (max < min) return vectorOf([]);
      return vectorOf(
        evaluator.vector(args[0] as Expr).map((s) => ({
          labels: dropMetricName(s.labels),
          value: Math.max(min, Math.min(max, s.value)),
        })),
      );
    }
    case 'round': {
      const toNearest = args.length > 1 ? evaluator.scalar(args[1] as Expr) : 1;
      const inverse = 1 / toNearest;
      return vectorOf(
        evaluator.vector(args[0] as Expr).map((s) => ({
          labels: dropMetricName(s.labels),
          value: Math.floor(s.value * inverse + 0.5) / inverse,
        })),
      );
    }
    default:
      // The parser admits only the functions above.
      throw new Error(`unknown function ${name}`);
  }
}
