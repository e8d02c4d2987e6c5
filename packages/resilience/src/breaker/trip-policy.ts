/** Why a trip policy opened the breaker. */
export type TripReason = 'failures' | 'slow-calls';

/** The closed-state window of a trip policy, as plain JSON (part of a breaker snapshot). */
export type WindowSnapshot =
  | { kind: 'consecutive'; failures: number }
  /** Outcomes oldest first: bit 1 failure, bit 2 slow (0 success … 3 slow failure). */
  | { kind: 'count'; outcomes: number[] }
  /** Buckets of `width` ms starting at `start` (clock ms), oldest first. */
  | {
      kind: 'time';
      buckets: Array<{ start: number; calls: number; failures: number; slow: number }>;
    };

/**
 * @internal Decides when a closed breaker opens. `record` is on the hot path: it updates
 * counters in place and allocates nothing.
 */
export interface TripPolicy {
  readonly kind: WindowSnapshot['kind'];
  /** Records a call that ran; returns why the breaker should open, or undefined. */
  record(failed: boolean, slow: boolean): TripReason | undefined;
  /** Forgets every recorded call (on each transition to closed). */
  reset(): void;
  snapshot(): WindowSnapshot;
  /** Loads a validated snapshot of the same kind. */
  restore(snapshot: WindowSnapshot): void;
}
