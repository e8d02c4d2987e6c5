import type { CheckOutcome, ObservedValue } from '../health-check.js';
import { roundMs } from './built-in-check.js';

/** @internal A response time since `start` against `warnAfter`. */
export function timed(
  start: number,
  warnAfter: number,
  details?: Record<string, ObservedValue>,
): CheckOutcome {
  const elapsed = roundMs(performance.now() - start);
  const outcome: CheckOutcome = { status: 'pass', observedValue: elapsed, observedUnit: 'ms' };
  if (details !== undefined && Object.keys(details).length > 0) outcome.details = details;
  if (elapsed > warnAfter) {
    outcome.status = 'warn';
    outcome.output = `responded in ${elapsed} ms, slower than ${warnAfter} ms`;
  }
  return outcome;
}
