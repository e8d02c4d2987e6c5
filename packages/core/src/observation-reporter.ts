import { InvalidObservationError } from './errors.js';
import type { InvalidReason } from './metric-context.js';

/** Payload of the registry's `invalid` event. */
export interface InvalidObservationEvent {
  metric: string;
  code: 'INVALID_VALUE' | 'LABELS_MISMATCH';
  reason: InvalidReason;
  message: string;
}

/** Payload of the registry's `overflow` event: a label set went to the overflow series. */
export interface OverflowEvent {
  metric: string;
  limit: number;
}

export type OnInvalid = 'drop' | 'throw';

/** Where the reporter sends what it counts; the registry supplies it. */
export interface ReporterSink {
  countInvalid(metric: string, reason: InvalidReason): void;
  countOverflow(metric: string): void;
  emitInvalid(event: InvalidObservationEvent): void;
  emitOverflow(event: OverflowEvent): void;
}

/**
 * The `onInvalid` policy. `'throw'` throws `InvalidObservationError` (as prom-client does);
 * `'drop'` counts the observation, emits an event, and warns once per metric and reason through
 * `process.emitWarning` so that a developer sees it without the host ever being interrupted.
 */
export class ObservationReporter {
  readonly #policy: OnInvalid;
  readonly #sink: ReporterSink;
  readonly #warned = new Set<string>();

  constructor(policy: OnInvalid, sink: ReporterSink) {
    this.#policy = policy;
    this.#sink = sink;
  }

  invalid(
    metric: string,
    code: 'INVALID_VALUE' | 'LABELS_MISMATCH',
    reason: InvalidReason,
    message: string,
  ): void {
    if (this.#policy === 'throw') throw new InvalidObservationError(code, metric, message);
    this.#sink.countInvalid(metric, reason);
    this.#sink.emitInvalid({ metric, code, reason, message });
    this.#warnOnce(
      `${metric}\u0000${reason}`,
      `${message} (dropped; counted in vigil_invalid_observations_total)`,
      code,
    );
  }

  overflow(metric: string, limit: number): void {
    this.#sink.countOverflow(metric);
    this.#sink.emitOverflow({ metric, limit });
    this.#warnOnce(
      `${metric}\u0000overflow`,
      `${metric}: more than ${limit} label sets; new ones go to the series {vigil_overflow="true"} (counted in vigil_cardinality_overflow_total). Raise maxSeries or drop a high-cardinality label.`,
      'CARDINALITY_OVERFLOW',
    );
  }

  #warnOnce(key: string, message: string, code: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    process.emitWarning(message, { type: 'VigilWarning', code });
  }
}
