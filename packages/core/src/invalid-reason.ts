import type { InvalidReason } from './metric-context.js';

/** Classifies a rejected value for the `reason` label. */
export function invalidReason(value: unknown): InvalidReason {
  if (typeof value !== 'number' || Number.isNaN(value)) return 'not_a_number';
  if (!Number.isFinite(value)) return 'not_finite';
  return 'negative_value';
}
