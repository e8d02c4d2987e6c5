import type { Aggregate, AggregateOp } from './ast.js';
import type { Evaluator } from './evaluate.js';
import { type Labels, METRIC_NAME, signature } from './labels.js';
import { quantile } from './statistics.js';
import type { Sample, Value } from './values.js';

/** The labels of a group: the `by` labels, or all but the `without` ones and the name. */
function groupLabels(labels: Labels, without: boolean, names: readonly string[]): Labels {
  const out: Record<string, string> = {};
  if (without) {
    for (const name of Object.keys(labels)) {
      if (name !== METRIC_NAME && !names.includes(name)) out[name] = labels[name] as string;
    }
  } else {
    for (const name of names) {
      const value = labels[name];
      if (value !== undefined && value !== '') out[name] = value;
    }
  }
  return out;
}

interface Group {
  readonly labels: Labels;
  readonly samples: Sample[];
}

/** Evaluates `sum`, `avg`, `min`, `max`, `count`, `stddev`, `stdvar`, `topk`, `bottomk`, `quantile`. */
export function aggregate(evaluator: Evaluator, node: Aggregate): Value {
  const param = node.param === undefined ? Number.NaN : evaluator.scalar(node.param);
  const samples = aggregateSamples(node.op, evaluator.vector(node.expr), {
    without: node.without,
    labels: node.labels,
    param,
  });
  return { type: 'vector', samples };
}

/**
 * An aggregation over samples, grouped `by` the labels (or `without` them), as PromQL's:
 * `param` is `topk`'s k or `quantile`'s φ.
 */
export function aggregateSamples(
  op: AggregateOp,
  samples: readonly Sample[],
  grouping: {
    readonly without: boolean;
    readonly labels: readonly string[];
    readonly param: number;
  },
): Sample[] {
  const groups = new Map<string, Group>();
  const { without, labels: names, param } = grouping;
  for (const sample of samples) {
    const key = signature(sample.labels, !without, names);
    let group = groups.get(key);
    if (group === undefined) {
      group = { labels: groupLabels(sample.labels, without, names), samples: [] };
      groups.set(key, group);
    }
    group.samples.push(sample);
  }
  const out: Sample[] = [];
  for (const group of groups.values()) {
    if (op === 'topk' || op === 'bottomk') {
      out.push(...selectK(group.samples, param, op === 'topk'));
      continue;
    }
    out.push({ labels: group.labels, value: reduce(op, group.samples, param) });
  }
  return out;
}

function reduce(op: AggregateOp, samples: readonly Sample[], param: number): number {
  switch (op) {
    case 'sum': {
      let sum = 0;
      for (const s of samples) sum += s.value;
      return sum;
    }
    case 'avg': {
      let mean = 0;
      let count = 0;
      for (const s of samples) {
        count++;
        if (count === 1) mean = s.value;
        else mean += s.value / count - mean / count;
      }
      return mean;
    }
    case 'count':
      return samples.length;
    case 'min': {
      let min = (samples[0] as Sample).value;
      for (const s of samples) if (min > s.value || Number.isNaN(min)) min = s.value;
      return min;
    }
    case 'max': {
      let max = (samples[0] as Sample).value;
      for (const s of samples) if (max < s.value || Number.isNaN(max)) max = s.value;
      return max;
    }
    case 'stddev':
    case 'stdvar': {
      let count = 0;
      let mean = 0;
      let aux = 0;
      for (const s of samples) {
        count++;
        const delta = s.value - mean;
        mean += delta / count;
        aux += delta * (s.value - mean);
      }
      const variance = aux / count;
      return op === 'stddev' ? Math.sqrt(variance) : variance;
    }
    case 'quantile':
      return quantile(
        param,
        samples.map((s) => s.value),
      );
    default:
      return Number.NaN;
  }
}

/** The `k` largest (or smallest) samples, with their own labels; NaN ranks last. */
function selectK(samples: readonly Sample[], k: number, largest: boolean): Sample[] {
  const count = Math.min(Math.trunc(k), samples.length);
  if (!(count >= 1)) return [];
  const rank = (s: Sample): number =>
    Number.isNaN(s.value) ? Number.NEGATIVE_INFINITY : largest ? s.value : -s.value;
  return [...samples].sort((a, b) => rank(b) - rank(a)).slice(0, count);
}
