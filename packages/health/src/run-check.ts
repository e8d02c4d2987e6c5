import type { Clock, Timers } from '@vigil/core';
import type { CheckResult } from './check-result.js';
import { HealthCheckTimeoutError } from './errors.js';
import type { CheckOutcome } from './health-check.js';
import { failureOutcome, normalizeOutcome } from './outcome.js';
import type { ResolvedCheck } from './resolved-check.js';

/**
 * @internal Runs one check under its timeout. The check gets `controller.signal`; the timeout
 * aborts it with a `HealthCheckTimeoutError`, and the monitor aborts it on `close()`. Either
 * way the check is reported `fail` at once, with the abort reason as `output`: a check that
 * hangs never holds the report back. Never rejects.
 */
export async function runCheck(
  check: ResolvedCheck,
  controller: AbortController,
  clock: Clock,
  timers: Timers,
): Promise<CheckResult> {
  const { signal } = controller;
  const start = performance.now();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<CheckOutcome>((resolve) => {
    onAbort = () => resolve(failureOutcome(signal.reason));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  // The monitor's timers (core's systemTimers by default: unref'd, looked up at call time so
  // that fake timers installed after import drive them).
  const timer = timers.setTimeout(() => {
    controller.abort(new HealthCheckTimeoutError(check.name, check.timeout));
  }, check.timeout);
  let outcome: CheckOutcome;
  try {
    outcome = await Promise.race([invoke(check, signal), aborted]);
  } finally {
    timers.clearTimeout(timer);
    signal.removeEventListener('abort', onAbort as () => void);
  }
  return toResult(check, outcome, Math.max(0, performance.now() - start), clock);
}

function invoke(check: ResolvedCheck, signal: AbortSignal): Promise<CheckOutcome> {
  let value: unknown;
  try {
    value = check.run(signal);
  } catch (error) {
    return Promise.resolve(failureOutcome(error));
  }
  return Promise.resolve(value).then(normalizeOutcome, failureOutcome);
}

function toResult(
  check: ResolvedCheck,
  outcome: CheckOutcome,
  duration: number,
  clock: Clock,
): CheckResult {
  const result: {
    -readonly [K in keyof CheckResult]: CheckResult[K];
  } = {
    name: check.name,
    key: check.key,
    component: check.component,
    critical: check.critical,
    weight: check.weight,
    quick: check.quick,
    status: outcome.status,
    duration: Math.round(duration * 1000) / 1000,
    time: isoTime(clock),
  };
  if (check.measurement !== undefined) result.measurement = check.measurement;
  if (check.componentType !== undefined) result.componentType = check.componentType;
  if (outcome.observedValue !== undefined) result.observedValue = outcome.observedValue;
  if (outcome.observedUnit !== undefined) result.observedUnit = outcome.observedUnit;
  if (outcome.output !== undefined) result.output = outcome.output;
  if (outcome.details !== undefined) result.details = outcome.details;
  return result;
}

/** @internal The clock's time in ISO 8601. */
export function isoTime(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
