import type { ValueType } from './ast.js';

/** A PromQL function's signature, as the parser checks calls against it. */
export interface FunctionSignature {
  readonly args: readonly ValueType[];
  /** How many of the last `args` may be left out. */
  readonly optional: number;
  readonly returns: ValueType;
}

const overTime: FunctionSignature = { args: ['matrix'], optional: 0, returns: 'vector' };
const math: FunctionSignature = { args: ['vector'], optional: 0, returns: 'vector' };

/** The PromQL functions Vigil evaluates, by name. */
export const FUNCTIONS: Readonly<Record<string, FunctionSignature>> = {
  rate: overTime,
  irate: overTime,
  increase: overTime,
  delta: overTime,
  idelta: overTime,
  deriv: overTime,
  changes: overTime,
  resets: overTime,
  avg_over_time: overTime,
  min_over_time: overTime,
  max_over_time: overTime,
  sum_over_time: overTime,
  count_over_time: overTime,
  stddev_over_time: overTime,
  stdvar_over_time: overTime,
  last_over_time: overTime,
  present_over_time: overTime,
  absent_over_time: overTime,
  quantile_over_time: { args: ['scalar', 'matrix'], optional: 0, returns: 'vector' },
  predict_linear: { args: ['matrix', 'scalar'], optional: 0, returns: 'vector' },
  absent: { args: ['vector'], optional: 0, returns: 'vector' },
  histogram_quantile: { args: ['scalar', 'vector'], optional: 0, returns: 'vector' },
  clamp: { args: ['vector', 'scalar', 'scalar'], optional: 0, returns: 'vector' },
  clamp_min: { args: ['vector', 'scalar'], optional: 0, returns: 'vector' },
  clamp_max: { args: ['vector', 'scalar'], optional: 0, returns: 'vector' },
  round: { args: ['vector', 'scalar'], optional: 1, returns: 'vector' },
  abs: math,
  ceil: math,
  floor: math,
  sqrt: math,
  exp: math,
  ln: math,
  log2: math,
  log10: math,
  sgn: math,
  time: { args: [], optional: 0, returns: 'scalar' },
  vector: { args: ['scalar'], optional: 0, returns: 'vector' },
  scalar: { args: ['vector'], optional: 0, returns: 'scalar' },
};
