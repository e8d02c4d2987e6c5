import type { DurationInput } from '@vigil/core';

/** The status of one check, as the `application/health+json` draft names them. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

/** A value a check observed: a number (with `observedUnit`), a string, a boolean or null. */
export type ObservedValue = number | string | boolean | null;

/** What a check's `run` answers. */
export interface CheckOutcome {
  /** `pass`, `warn` (works, but degraded) or `fail`. */
  status: CheckStatus;
  /** The reading the status was decided on, such as a response time. */
  observedValue?: ObservedValue;
  /** The unit of `observedValue`, such as `'ms'` or `'bytes'`. */
  observedUnit?: string;
  /** Why it warns or fails, in words (omitted from the health+json of a passing check). */
  output?: string;
  /** More readings, such as a pool's idle connections: a Vigil extension field. */
  details?: Readonly<Record<string, ObservedValue>>;
}

/**
 * What `run` may return: an outcome, or `true` / nothing for `pass` and `false` for `fail`.
 * A thrown error or a rejected promise is `fail`, with the error's message as `output`.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: lets `run` be a function that returns nothing.
export type CheckReturn = CheckOutcome | boolean | undefined | void;

/** The options every check has, built-in or your own. */
export interface CheckOptions {
  /**
   * Unique within a monitor: the key of the check in `report.checks` and the `check` label of
   * its metrics.
   */
  name?: string | undefined;
  /** The health+json component name; default: `name`. */
  component?: string | undefined;
  /**
   * The health+json measurement name: the check is keyed `component:measurement` in
   * health+json (`component` alone without one).
   */
  measurement?: string | undefined;
  /** The health+json `componentType`, such as `'datastore'`, `'system'` or `'component'`. */
  componentType?: string | undefined;
  /**
   * Whether a `fail` makes the whole service `critical` (health+json `fail`, HTTP 503). A
   * non-critical failure only degrades it. Default: `true` for your checks.
   */
  critical?: boolean | undefined;
  /** Weight in the 0–100 score; `0` leaves the check out of the score. Default `1`. */
  weight?: number | undefined;
  /** Whether `check({ quick: true })` runs it. Default `false` for your checks. */
  quick?: boolean | undefined;
  /** How long the check may run before it is reported `fail`; default: the monitor's `timeout`. */
  timeout?: DurationInput | undefined;
}

/** A health check: a name, a `run` function and the options that say how much it matters. */
export interface HealthCheck extends CheckOptions {
  name: string;
  /**
   * Runs the check. `signal` aborts when the check times out (its reason a
   * `HealthCheckTimeoutError`) or the monitor closes: pass it to `fetch` or your driver.
   */
  run(signal: AbortSignal): CheckReturn | PromiseLike<CheckReturn>;
  /** Called once by each monitor the check is given to, at the monitor's construction. */
  start?: (() => void) | undefined;
  /**
   * Called once by each monitor the check is given to, at the monitor's `close()`. A failure
   * goes to the monitor's `onError`.
   */
  close?: (() => void | PromiseLike<void>) | undefined;
}
