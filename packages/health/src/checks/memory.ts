import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { describeValue, invalidOption, optionalNumber } from '@vigil/core/options';
import type { CheckOptions, CheckOutcome, HealthCheck } from '../health-check.js';
import { builtInCheck, mib } from './built-in-check.js';

/** Options of `checks.heap()`. */
export interface HeapCheckOptions extends CheckOptions {
  /**
   * Heap use at or above which the check warns: a share of V8's heap limit in (0, 1], or bytes
   * when greater than 1. Default `0.8`.
   */
  warn?: number | undefined;
  /** Heap use at or above which the check fails, as `warn`. Default `0.9`. */
  fail?: number | undefined;
}

/** Options of `checks.rss()`. */
export interface RssCheckOptions extends CheckOptions {
  /** Resident set size at or above which the check warns, as in `heap`. Default `0.8`. */
  warn?: number | undefined;
  /** Resident set size at or above which the check fails, as in `heap`. Default `0.9`. */
  fail?: number | undefined;
  /**
   * The memory a share is taken of, bytes. Default: the container's limit
   * (`process.constrainedMemory()`) when there is one, else the machine's memory.
   */
  limit?: number | undefined;
}

/**
 * V8 heap in use (`used_heap_size`) against the heap limit (`heap_size_limit`). Non-critical
 * and quick by default; keyed `heap:used`, observed in `bytes`.
 */
export function heap(options: HeapCheckOptions = {}): HealthCheck {
  const owner = 'checks.heap';
  const limits = thresholds(owner, options);
  return builtInCheck(owner, options, ['warn', 'fail'], defaults('heap'), {
    run: () => {
      const stats = getHeapStatistics();
      return judge('heap', stats.used_heap_size, stats.heap_size_limit, limits);
    },
  });
}

/**
 * Resident set size (`process.memoryUsage.rss()`) against `limit`. Non-critical and quick by
 * default; keyed `rss:used`, observed in `bytes`.
 */
export function rss(options: RssCheckOptions = {}): HealthCheck {
  const owner = 'checks.rss';
  const limits = thresholds(owner, options);
  const limit = optionalNumber(owner, 'limit', options.limit, { min: 1 }) ?? memoryLimit();
  return builtInCheck(owner, options, ['warn', 'fail', 'limit'], defaults('rss'), {
    run: () => judge('rss', process.memoryUsage.rss(), limit, limits),
  });
}

function defaults(name: string) {
  return { name, measurement: 'used', componentType: 'system', critical: false, quick: true };
}

interface Thresholds {
  warn: number;
  fail: number;
}

function thresholds(owner: string, options: { warn?: unknown; fail?: unknown }): Thresholds {
  const warn = threshold(owner, 'warn', options.warn ?? 0.8);
  const fail = threshold(owner, 'fail', options.fail ?? 0.9);
  // Only comparable when both are shares or both are bytes.
  if (warn <= 1 === fail <= 1 && fail < warn) {
    throw invalidOption(owner, `fail (${fail}) should be at least warn (${warn})`);
  }
  return { warn, fail };
}

function threshold(owner: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidOption(
      owner,
      `${field} should be a share of the limit in (0, 1] such as 0.8, or a number of bytes greater than 1, got ${describeValue(value)}`,
    );
  }
  return value;
}

function memoryLimit(): number {
  const machine = totalmem();
  const constrained = (
    process as { constrainedMemory?: () => number | undefined }
  ).constrainedMemory?.();
  // Without a limit Node answers 0, undefined or a huge number, depending on version and cgroup.
  return constrained !== undefined && constrained > 0 && constrained < machine
    ? constrained
    : machine;
}

function judge(what: string, used: number, limit: number, t: Thresholds): CheckOutcome {
  const ratio = limit > 0 ? used / limit : 0;
  const reading = {
    observedValue: used,
    observedUnit: 'bytes',
    details: { limitBytes: limit, ratio: Math.round(ratio * 10_000) / 10_000 },
  };
  const over = (threshold: number) => (threshold <= 1 ? ratio >= threshold : used >= threshold);
  const said = (threshold: number) =>
    threshold <= 1 ? `${Math.round(threshold * 1000) / 10}%` : mib(threshold);
  const at = `${what} ${mib(used)} of ${mib(limit)} (${Math.round(ratio * 1000) / 10}%)`;
  if (over(t.fail))
    return { status: 'fail', ...reading, output: `${at}, at or above ${said(t.fail)}` };
  if (over(t.warn))
    return { status: 'warn', ...reading, output: `${at}, at or above ${said(t.warn)}` };
  return { status: 'pass', ...reading };
}
