import { VigilError } from '@vigil/core';

/**
 * Every stable error code of `@vigil/health`, each one explained in `docs/errors.md`. Bad options
 * throw core's `ConfigurationError` instead (`INVALID_OPTION`, `INVALID_DURATION`).
 */
export const HEALTH_ERROR_CODES = ['HEALTH_CLOSED', 'HEALTH_CHECK_TIMEOUT'] as const;

/** A stable error code of `@vigil/health`. */
export type HealthErrorCode = (typeof HEALTH_ERROR_CODES)[number];

/**
 * The monitor was closed: `check()` after `close()` rejects with it, and the signal of a check
 * still running when `close()` was called aborts with it as its reason.
 */
export class HealthClosedError extends VigilError {
  static override readonly brand = 'vigil.health.HealthClosedError';
  declare readonly code: 'HEALTH_CLOSED';

  constructor() {
    super(
      'HEALTH_CLOSED',
      'the health monitor is closed; create a new HealthMonitor to run checks again',
    );
  }
}

/**
 * A check ran past its timeout. It is the reason of the `AbortSignal` the check's `run` got, so
 * that a `fetch` or a driver given that signal rejects with it; the check is reported `fail`
 * with the output `timeout after <N>ms`.
 */
export class HealthCheckTimeoutError extends VigilError {
  static override readonly brand = 'vigil.health.HealthCheckTimeoutError';
  declare readonly code: 'HEALTH_CHECK_TIMEOUT';
  /** The check's name. */
  readonly check: string;
  /** The timeout, in milliseconds. */
  readonly timeout: number;

  constructor(check: string, timeout: number) {
    super('HEALTH_CHECK_TIMEOUT', `timeout after ${timeout}ms`);
    this.check = check;
    this.timeout = timeout;
  }
}
