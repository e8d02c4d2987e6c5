import { PromqlEvaluationError } from '../errors.js';
import type { Binary, BinaryOp, VectorMatching } from './ast.js';
import type { Evaluator } from './evaluate.js';
import {
  dropMetricName,
  formatLabels,
  type Labels,
  labelsKey,
  METRIC_NAME,
  signature,
} from './labels.js';
import type { Sample, Value } from './values.js';

const COMPARISONS = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);

/** The value of `lhs op rhs`, and whether a comparison holds (always true for arithmetic). */
function apply(op: BinaryOp, lhs: number, rhs: number): [number, boolean] {
  switch (op) {
    case '+':
      return [lhs + rhs, true];
    case '-':
      return [lhs - rhs, true];
    case '*':
      return [lhs * rhs, true];
    case '/':
      return [lhs / rhs, true];
    case '%':
      return [lhs % rhs, true];
    case '^':
      return [lhs ** rhs, true];
    case '==':
      return [lhs, lhs === rhs];
    case '!=':
      return [lhs, lhs !== rhs];
    case '>':
      return [lhs, lhs > rhs];
    case '<':
      return [lhs, lhs < rhs];
    case '>=':
      return [lhs, lhs >= rhs];
    case '<=':
      return [lhs, lhs <= rhs];
    default:
      throw new Error(`${op} is not an arithmetic or comparison operator`);
  }
}

/** Evaluates a binary expression: scalars, vector and scalar, two vectors (with matching). */
export function binary(evaluator: Evaluator, node: Binary): Value {
  const lhs = evaluator.eval(node.lhs);
  const rhs = evaluator.eval(node.rhs);
  const { op, bool } = node;
  if (lhs.type === 'scalar' && rhs.type === 'scalar') {
    const [value, holds] = apply(op, lhs.value, rhs.value);
    return { type: 'scalar', value: COMPARISONS.has(op) ? (holds ? 1 : 0) : value };
  }
  if (lhs.type === 'vector' && rhs.type === 'vector') {
    const matching = node.matching as VectorMatching;
    switch (op) {
      case 'and':
        return { type: 'vector', samples: and(lhs.samples, rhs.samples, matching) };
      case 'or':
        return { type: 'vector', samples: or(lhs.samples, rhs.samples, matching) };
      case 'unless':
        return { type: 'vector', samples: unless(lhs.samples, rhs.samples, matching) };
      default:
        return {
          type: 'vector',
          samples: vectorBinary(op, bool, lhs.samples, rhs.samples, matching),
        };
    }
  }
  // One vector, one scalar.
  const vectorOnLeft = lhs.type === 'vector';
  const samples = (vectorOnLeft ? lhs : rhs) as { samples: readonly Sample[] };
  const scalar = ((vectorOnLeft ? rhs : lhs) as { value: number }).value;
  const comparison = COMPARISONS.has(op);
  const out: Sample[] = [];
  for (const sample of samples.samples) {
    const [value, holds] = vectorOnLeft
      ? apply(op, sample.value, scalar)
      : apply(op, scalar, sample.value);
    if (comparison && !bool) {
      // The vector's value is kept, whichever side it is on.
      if (holds) out.push(sample);
      continue;
    }
    out.push({
      labels: dropMetricName(sample.labels),
      value: comparison ? (holds ? 1 : 0) : value,
    });
  }
  return { type: 'vector', samples: out };
}

function matchSignature(matching: VectorMatching): (labels: Labels) => string {
  return (labels) => signature(labels, matching.on, matching.labels);
}

function and(lhs: readonly Sample[], rhs: readonly Sample[], matching: VectorMatching): Sample[] {
  const sig = matchSignature(matching);
  const right = new Set(rhs.map((s) => sig(s.labels)));
  return lhs.filter((s) => right.has(sig(s.labels)));
}

function or(lhs: readonly Sample[], rhs: readonly Sample[], matching: VectorMatching): Sample[] {
  const sig = matchSignature(matching);
  const left = new Set(lhs.map((s) => sig(s.labels)));
  return [...lhs, ...rhs.filter((s) => !left.has(sig(s.labels)))];
}

function unless(
  lhs: readonly Sample[],
  rhs: readonly Sample[],
  matching: VectorMatching,
): Sample[] {
  const sig = matchSignature(matching);
  const right = new Set(rhs.map((s) => sig(s.labels)));
  return lhs.filter((s) => !right.has(sig(s.labels)));
}

/** Arithmetic and comparison between two vectors: one-to-one, many-to-one, one-to-many. */
function vectorBinary(
  op: BinaryOp,
  bool: boolean,
  lhsIn: readonly Sample[],
  rhsIn: readonly Sample[],
  matching: VectorMatching,
): Sample[] {
  const oneToMany = matching.card === 'one-to-many';
  // The "one" side is always rhs below.
  const lhs = oneToMany ? rhsIn : lhsIn;
  const rhs = oneToMany ? lhsIn : rhsIn;
  const sig = matchSignature(matching);
  const right = new Map<string, Sample>();
  for (const sample of rhs) {
    const key = sig(sample.labels);
    const duplicate = right.get(key);
    if (duplicate !== undefined) {
      const side = oneToMany ? 'left' : 'right';
      throw new PromqlEvaluationError(
        `found duplicate series for the match group on the ${side} hand-side of the operation: [${formatLabels(duplicate.labels)}, ${formatLabels(sample.labels)}]; many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    right.set(key, sample);
  }
  const comparison = COMPARISONS.has(op);
  const matched = new Map<string, Set<string> | null>();
  const out: Sample[] = [];
  for (const left of lhs) {
    const key = sig(left.labels);
    const one = right.get(key);
    if (one === undefined) continue;
    const [value, holds] = oneToMany
      ? apply(op, one.value, left.value)
      : apply(op, left.value, one.value);
    if (comparison && !bool && !holds) continue;
    let labels = resultLabels(left.labels, one.labels, op, matching);
    if (bool) labels = dropMetricName(labels);
    const seen = matched.get(key);
    if (matching.card === 'one-to-one') {
      if (seen !== undefined) {
        throw new PromqlEvaluationError(
          `multiple matches for labels ${formatLabels(left.labels)}: many-to-one matching must be explicit (group_left/group_right)`,
        );
      }
      matched.set(key, null);
    } else {
      const outKey = labelsKey(labels);
      let inserted = seen;
      if (inserted === undefined || inserted === null) {
        inserted = new Set();
        matched.set(key, inserted);
      } else if (inserted.has(outKey)) {
        throw new PromqlEvaluationError(
          `multiple matches for labels ${formatLabels(labels)}: grouping labels must ensure unique matches`,
        );
      }
      inserted.add(outKey);
    }
    out.push({ labels, value: comparison ? (bool ? (holds ? 1 : 0) : value) : value });
  }
  return out;
}

/** The labels of a result: the "many" side's, as `on`/`ignoring` and `group_x` say. */
function resultLabels(many: Labels, one: Labels, op: BinaryOp, matching: VectorMatching): Labels {
  const out: Record<string, string> = { ...many };
  if (!COMPARISONS.has(op)) delete out[METRIC_NAME];
  if (matching.card === 'one-to-one') {
    if (matching.on) {
      for (const name of Object.keys(out)) if (!matching.labels.includes(name)) delete out[name];
    } else {
      for (const name of matching.labels) delete out[name];
    }
  }
  for (const name of matching.include) {
    const value = one[name];
    if (value !== undefined && value !== '') out[name] = value;
    else delete out[name];
  }
  return out;
}
