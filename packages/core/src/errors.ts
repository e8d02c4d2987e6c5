const BRAND = Symbol.for('vigil.error');

/** Every stable error code thrown by `@vigil/core`. Each one is explained in `docs/errors.md`. */
export type CoreErrorCode =
  | 'INVALID_METRIC_NAME'
  | 'INVALID_LABEL_NAME'
  | 'INVALID_OPTION'
  | 'INVALID_DURATION'
  | 'INVALID_VALUE'
  | 'LABELS_MISMATCH'
  | 'METRIC_CONFLICT';

/**
 * The base of every error Vigil throws. `code` is stable and documented; `instanceof` works
 * across two installed copies of a Vigil package, because it checks a global brand rather than
 * the prototype chain.
 */
export class VigilError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VigilError';
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }

  // `this` is the class `instanceof` was asked about: subclasses keep the prototype check.
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: the check depends on which class is asked.
    if (this === VigilError) {
      return typeof value === 'object' && value !== null && BRAND in value;
    }
    // biome-ignore lint/complexity/noThisInStatic: subclasses keep the prototype check.
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** A definition-time mistake: a bad name, option or duration. Always thrown. */
export class ConfigurationError extends VigilError {
  constructor(code: CoreErrorCode, message: string) {
    super(code, message);
    this.name = 'ConfigurationError';
  }
}

/** A recording-path mistake, thrown only when the registry's `onInvalid` is `'throw'`. */
export class InvalidObservationError extends VigilError {
  /** The metric the observation was for. */
  readonly metric: string;

  constructor(code: 'INVALID_VALUE' | 'LABELS_MISMATCH', metric: string, message: string) {
    super(code, message);
    this.name = 'InvalidObservationError';
    this.metric = metric;
  }
}

/** Two definitions of one metric name disagree. */
export class MetricConflictError extends VigilError {
  constructor(message: string) {
    super('METRIC_CONFLICT', message);
    this.name = 'MetricConflictError';
  }
}
