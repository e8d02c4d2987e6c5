/** Where a background failure happened: what failed, and in which part of which object. */
export interface BackgroundErrorContext {
  /** The object that runs the work, such as `'HealthMonitor'` or `'CircuitBreaker partner'`. */
  readonly source: string;
  /** The work that failed, such as `'collect query_seconds'`, `'sweep'` or `'listener'`. */
  readonly operation: string;
}

/**
 * The one route out for failures of background work: timer loops, sweeps, `collect` callbacks,
 * event listeners. Everything in Vigil that runs work the host did not call directly takes an
 * `onError` option of this type, and never throws such a failure into the host.
 *
 * Without `onError`, the failure is written as a process warning (`VigilWarning`, code
 * `VIGIL_BACKGROUND_ERROR`) once per source and operation, so that a developer sees it and a
 * failing loop does not flood the log. An `onError` that throws is reported the same way.
 */
export type OnError = (error: unknown, context: BackgroundErrorContext) => void;

/** Reports one background failure: `(error, operation)`. */
export type BackgroundErrorReporter = (error: unknown, operation: string) => void;

/** The warning codes Vigil emits through `process.emitWarning`, each in `docs/errors.md`. */
export const WARNING_CODES = [
  'VIGIL_BACKGROUND_ERROR',
  'CARDINALITY_OVERFLOW',
  'INVALID_VALUE',
  'LABELS_MISMATCH',
] as const;

/** A warning code of `WARNING_CODES`. */
export type WarningCode = (typeof WARNING_CODES)[number];

/** Emits a process warning of type `VigilWarning`. */
export function emitVigilWarning(message: string, code: WarningCode): void {
  process.emitWarning(message, { type: 'VigilWarning', code });
}

/**
 * The reporter an object keeps for its background work: failures go to `onError` where given,
 * else to one warning per operation. For package authors; hosts pass `onError`.
 */
export function backgroundErrorReporter(
  source: string,
  onError: OnError | undefined,
): BackgroundErrorReporter {
  const warned = new Set<string>();
  const warnOnce = (error: unknown, operation: string, note: string): void => {
    if (warned.has(operation)) return;
    warned.add(operation);
    emitVigilWarning(
      `${source}: ${operation} failed in the background: ${messageOf(error)}. ${note}`,
      'VIGIL_BACKGROUND_ERROR',
    );
  };
  if (onError === undefined) {
    return (error, operation) =>
      warnOnce(
        error,
        operation,
        'Pass an onError option to handle these; this warning is shown once.',
      );
  }
  return (error, operation) => {
    try {
      onError(error, { source, operation });
    } catch (thrown) {
      warnOnce(thrown, `onError for ${operation}`, 'onError must not throw.');
    }
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}
