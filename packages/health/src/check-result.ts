import type { CheckStatus, ObservedValue } from './health-check.js';

/** One check's result in a `HealthReport`. */
export interface CheckResult {
  /** The check's name. */
  readonly name: string;
  /** The health+json key: `component:measurement`, or `component` without a measurement. */
  readonly key: string;
  readonly component: string;
  readonly measurement?: string;
  readonly componentType?: string;
  readonly critical: boolean;
  readonly weight: number;
  readonly quick: boolean;
  readonly status: CheckStatus;
  readonly observedValue?: ObservedValue;
  readonly observedUnit?: string;
  /** Why it warns or fails; `timeout after <N>ms` for a check that ran past its timeout. */
  readonly output?: string;
  readonly details?: Readonly<Record<string, ObservedValue>>;
  /** How long the check took, in milliseconds (at most about its timeout). */
  readonly duration: number;
  /** When the check finished, ISO 8601. */
  readonly time: string;
}
