/** The brands of an error: one per branded class in its chain, such as `vigil.core.ConfigurationError`. */
const BRANDS = Symbol.for('vigil.error.brands');
/** The brand the first releases set; kept so that their errors still match `VigilError`. */
const LEGACY_BRAND = Symbol.for('vigil.error');

/** Every stable error code thrown by `@vigil/core`. Each one is explained in `docs/errors.md`. */
export const CORE_ERROR_CODES = [
  'INVALID_METRIC_NAME',
  'INVALID_LABEL_NAME',
  'INVALID_OPTION',
  'INVALID_DURATION',
  'INVALID_VALUE',
  'LABELS_MISMATCH',
  'METRIC_CONFLICT',
] as const;

/** A stable error code thrown by `@vigil/core`. */
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

/**
 * The base of every error Vigil throws. `code` is stable and documented.
 *
 * `instanceof` works across the ESM and CJS builds and across two installed copies of a package,
 * for this class and for every subclass, because each class declares a global `brand` (as
 * undici does): an error carries the brands of its class chain, and `instanceof` checks the brand
 * rather than the prototype chain. A subclass declares its own:
 *
 * ```ts
 * export class TimeoutError extends VigilError {
 *   static override readonly brand = 'vigil.resilience.TimeoutError';
 * }
 * ```
 *
 * A subclass without its own `brand` falls back to the prototype check.
 */
export class VigilError extends Error {
  /** The global name `instanceof` checks for this class. */
  static readonly brand: string = 'vigil.error';

  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    Object.defineProperty(this, BRANDS, { value: brandsOf(new.target) });
    Object.defineProperty(this, LEGACY_BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    if (!Object.hasOwn(this, 'brand')) {
      return Function.prototype[Symbol.hasInstance].call(this, value);
    }
    const brands = (value as { [BRANDS]?: unknown })[BRANDS];
    if (Array.isArray(brands)) return brands.includes(this.brand);
    return this === VigilError && LEGACY_BRAND in value;
  }
}

/** The brands of `target` and of every class it extends, down to `VigilError`. */
function brandsOf(target: abstract new (...args: never) => unknown): readonly string[] {
  const brands: string[] = [];
  for (let type = target; type !== Error && type !== null; type = Object.getPrototypeOf(type)) {
    if (Object.hasOwn(type, 'brand')) brands.push((type as typeof VigilError).brand);
  }
  return Object.freeze(brands);
}

/** A definition-time mistake: a bad name, option or duration. Always thrown. */
export class ConfigurationError extends VigilError {
  static override readonly brand = 'vigil.core.ConfigurationError';
  declare readonly code: CoreErrorCode;

  constructor(code: CoreErrorCode, message: string) {
    super(code, message);
  }
}

/** A recording-path mistake, thrown only when the registry's `onInvalid` is `'throw'`. */
export class InvalidObservationError extends VigilError {
  static override readonly brand = 'vigil.core.InvalidObservationError';
  declare readonly code: 'INVALID_VALUE' | 'LABELS_MISMATCH';
  /** The metric the observation was for. */
  readonly metric: string;

  constructor(code: 'INVALID_VALUE' | 'LABELS_MISMATCH', metric: string, message: string) {
    super(code, message);
    this.metric = metric;
  }
}

/** Two definitions of one metric name disagree. */
export class MetricConflictError extends VigilError {
  static override readonly brand = 'vigil.core.MetricConflictError';
  declare readonly code: 'METRIC_CONFLICT';

  constructor(message: string) {
    super('METRIC_CONFLICT', message);
  }
}
