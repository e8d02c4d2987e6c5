import { aggregate } from './aggregate.js';
import type { Expr, MatrixSelector, VectorSelector } from './ast.js';
import { binary } from './binary.js';
import { callFunction } from './functions.js';
import { dropMetricName } from './labels.js';
import type { SeriesSource } from './series-source.js';
import type { RangeSeries, Sample, Value } from './values.js';

/** Prometheus's lookback for instant selectors: a series' latest point up to 5 minutes old. */
export const LOOKBACK = 5 * 60_000;

/** What an evaluation reads: the history, and the lookback of instant selectors (ms). */
export interface EvaluationContext {
  readonly source: SeriesSource;
  readonly lookback?: number | undefined;
  /**
   * Selections made at this instant, shared by the rules of one cycle: rules that select the
   * same series read them once. Give a new `Map` per cycle (the history changes in between).
   */
  readonly cache?: Map<string, unknown> | undefined;
}

const selectorKeys = new WeakMap<VectorSelector, string>();

/** A string naming what a selector selects (its matchers and offset), computed once. */
function selectorKey(selector: VectorSelector): string {
  let key = selectorKeys.get(selector);
  if (key === undefined) {
    key = `${selector.offset}`;
    for (const m of selector.matchers) key += `\u0000${m.name}${m.type}${m.value}`;
    selectorKeys.set(selector, key);
  }
  return key;
}

/**
 * Evaluates `expr` at `time` (ms since the epoch) over `context.source`, with Prometheus 2's
 * semantics: instant selectors see a series' latest point within the lookback (5 minutes), not
 * past a stale marker; range selectors take the points in `[time - range, time]`.
 *
 * @throws PromqlEvaluationError where Prometheus fails the query (many-to-many matching).
 */
export function evaluate(expr: Expr, time: number, context: EvaluationContext): Value {
  return new Evaluator(context, time).eval(expr);
}

/** @internal */
export class Evaluator {
  readonly source: SeriesSource;
  readonly lookback: number;
  readonly time: number;
  readonly #cache: Map<string, unknown> | undefined;

  constructor(context: EvaluationContext, time: number) {
    this.source = context.source;
    this.lookback = context.lookback ?? LOOKBACK;
    this.time = time;
    this.#cache = context.cache;
  }

  eval(expr: Expr): Value {
    switch (expr.kind) {
      case 'number':
        return { type: 'scalar', value: expr.value };
      case 'string':
        return { type: 'string', value: expr.value };
      case 'paren':
        return this.eval(expr.expr);
      case 'vector-selector':
        return { type: 'vector', samples: this.instant(expr) };
      case 'matrix-selector':
        return { type: 'matrix', series: this.range(expr) };
      case 'unary': {
        const value = this.eval(expr.expr);
        if (expr.op === '+') return value;
        if (value.type === 'scalar') return { type: 'scalar', value: -value.value };
        const samples = (value as { samples: readonly Sample[] }).samples.map((s) => ({
          labels: dropMetricName(s.labels),
          value: -s.value,
        }));
        return { type: 'vector', samples };
      }
      case 'call':
        return callFunction(this, expr);
      case 'aggregate':
        return aggregate(this, expr);
      case 'binary':
        return binary(this, expr);
    }
  }

  scalar(expr: Expr): number {
    const value = this.eval(expr);
    return value.type === 'scalar' ? value.value : Number.NaN;
  }

  vector(expr: Expr): readonly Sample[] {
    const value = this.eval(expr);
    return value.type === 'vector' ? value.samples : [];
  }

  /** An instant selector: each series' latest point in the lookback, unless it is stale. */
  instant(selector: VectorSelector): readonly Sample[] {
    return this.#cached(`i${this.time}|${this.lookback}|${selectorKey(selector)}`, () =>
      this.#instant(selector),
    );
  }

  /** `select()`'s answer, from the cycle's cache when a rule before made the same selection. */
  #cached<T>(key: string, select: () => T): T {
    const cache = this.#cache;
    if (cache === undefined) return select();
    let value = cache.get(key) as T | undefined;
    if (value === undefined) {
      value = select();
      cache.set(key, value);
    }
    return value;
  }

  #instant(selector: VectorSelector): Sample[] {
    const reference = this.time - selector.offset;
    const out: Sample[] = [];
    for (const series of this.source.select(
      selector.matchers,
      reference - this.lookback,
      reference,
    )) {
      const last = series.end - 1;
      if (series.stale?.has(series.times[last] as number)) continue;
      out.push({ labels: series.labels, value: series.values[last] as number });
    }
    return out;
  }

  /** A range selector: each series' points in `[time - range, time]`, stale markers left out. */
  range(matrix: MatrixSelector): readonly RangeSeries[] {
    return this.#cached(`r${this.time}|${matrix.range}|${selectorKey(matrix.selector)}`, () =>
      this.#range(matrix),
    );
  }

  #range(matrix: MatrixSelector): RangeSeries[] {
    const reference = this.time - matrix.selector.offset;
    const out: RangeSeries[] = [];
    for (const series of this.source.select(
      matrix.selector.matchers,
      reference - matrix.range,
      reference,
    )) {
      const { start, end, stale } = series;
      if (stale === undefined) {
        // The common case: a series without stale markers, read in place.
        out.push(series);
        continue;
      }
      const times: number[] = [];
      const values: number[] = [];
      for (let i = start; i < end; i++) {
        const t = series.times[i] as number;
        if (stale.has(t)) continue;
        times.push(t);
        values.push(series.values[i] as number);
      }
      if (times.length !== 0)
        out.push({ labels: series.labels, times, values, start: 0, end: times.length });
    }
    return out;
  }
}
