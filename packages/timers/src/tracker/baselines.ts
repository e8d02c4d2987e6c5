import { describeValue } from '@vigil/core/options';
import { TimersError } from '../errors.js';

/** An operation's reference performance, in seconds. */
export interface Baseline {
  /** Median duration. */
  readonly p50: number;
  /** 95th percentile duration. */
  readonly p95: number;
  /** Mean duration. */
  readonly mean: number;
  /** Executions it was built from. */
  readonly samples: number;
  /** When it was built, in ms since the epoch (the tracker's clock). */
  readonly createdAt: number;
}

/** What `exportBaselines()` returns and `importBaselines()` accepts (as an object or JSON text). */
export interface BaselinesJSON {
  readonly version: 1;
  readonly baselines: Readonly<Record<string, Baseline>>;
}

export const BASELINES_VERSION = 1;

/**
 * Validates baselines read back from storage (an object or JSON text) and returns them as
 * `[operation, baseline]` pairs. Nothing is trusted: every field is checked.
 *
 * @throws TimersError `TIMERS_INVALID_BASELINES`, naming the first bad field.
 */
export function parseBaselines(input: unknown): Array<[string, Baseline]> {
  let data = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (error) {
      throw invalid(
        `baselines should be JSON from exportBaselines(), but it does not parse (${(error as Error).message})`,
        error,
      );
    }
  }
  if (!isRecord(data)) {
    throw invalid(
      `baselines should be an object { version: 1, baselines: { … } }, got ${describeValue(data)}`,
    );
  }
  if (data.version !== BASELINES_VERSION) {
    throw invalid(
      `baselines.version should be ${BASELINES_VERSION}, got ${describeValue(data.version)}`,
    );
  }
  const baselines = data.baselines;
  if (!isRecord(baselines)) {
    throw invalid(
      `baselines.baselines should be an object keyed by operation, got ${describeValue(baselines)}`,
    );
  }
  const parsed: Array<[string, Baseline]> = [];
  for (const [operation, value] of Object.entries(baselines)) {
    const path = `baselines.baselines[${JSON.stringify(operation)}]`;
    if (operation.length === 0)
      throw invalid('baselines.baselines: an operation name should be a non-empty string');
    if (!isRecord(value))
      throw invalid(
        `${path} should be an object { p50, p95, mean, samples, createdAt }, got ${describeValue(value)}`,
      );
    const baseline: Baseline = {
      p50: duration(value, 'p50', path),
      p95: duration(value, 'p95', path),
      mean: duration(value, 'mean', path),
      samples: positiveInteger(value, 'samples', path),
      createdAt: finite(value, 'createdAt', path),
    };
    if (baseline.p95 < baseline.p50)
      throw invalid(`${path}.p95 should be ≥ p50 (${baseline.p50}), got ${baseline.p95}`);
    parsed.push([operation, baseline]);
  }
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function duration(value: Record<string, unknown>, field: string, path: string): number {
  const n = value[field];
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw invalid(
      `${path}.${field} should be a non-negative number of seconds, got ${describeValue(n)}`,
    );
  }
  return n;
}

function positiveInteger(value: Record<string, unknown>, field: string, path: string): number {
  const n = value[field];
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw invalid(`${path}.${field} should be a positive integer, got ${describeValue(n)}`);
  }
  return n;
}

function finite(value: Record<string, unknown>, field: string, path: string): number {
  const n = value[field];
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw invalid(
      `${path}.${field} should be a finite number (ms since the epoch), got ${describeValue(n)}`,
    );
  }
  return n;
}

function invalid(message: string, cause?: unknown): TimersError {
  return new TimersError(
    'TIMERS_INVALID_BASELINES',
    message,
    cause === undefined ? undefined : { cause },
  );
}
