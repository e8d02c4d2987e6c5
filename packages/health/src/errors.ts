import { VigilError } from '@vigil/core';

/**
 * Every stable error code of `@vigil/health`, besides core's `INVALID_OPTION` and
 * `INVALID_DURATION` (thrown as core's `ConfigurationError` for bad options). Each one is
 * explained in `docs/errors.md`.
 */
export type HealthErrorCode = 'HEALTH_CLOSED' | 'HEALTH_CHECK_TIMEOUT';

/**
 * The monitor was closed: `check()` after `close()` rejects with it, and the signal of a check
 * still running when `close()` was called aborts with it as its reason.
 */
export class HealthClosedError extends VigilError {
  declare readonly code: 'HEALTH_CLOSED';

  constructor() {
    super(
      'HEALTH_CLOSED',
      'the health monitor is closed; create a new HealthMonitor to run checks again',
    );
    this.name = 'HealthClosedError';
  }
}

/**
 * A check ran past its timeout. It is the reason of the `AbortSignal` the check's `run` got, so
 * that a `fetch` or a driver given that signal rejects with it; the check is reported `fail`
 * with the output `timeout after <N>ms`.
 */
export class HealthCheckTimeoutError extends VigilError {
  declare readonly code: 'HEALTH_CHECK_TIMEOUT';
  /** The check's name. */
  readonly check: string;
  /** The timeout, in milliseconds. */
  readonly timeout: number;

  constructor(check: string, timeout: number) {
    super('HEALTH_CHECK_TIMEOUT', `timeout after ${timeout}ms`);
    this.name = 'HealthCheckTimeoutError';
    this.check = check;
    this.timeout = timeout;
  }
}
