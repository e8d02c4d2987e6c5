import { describeValue, invalidOption } from '@vigil/core/options';

/** A job's priority: a name, or an integer from 0 to 1,000 (higher starts first). */
export type JobPriority = 'high' | 'medium' | 'low' | number;

/** The numbers behind the names: one aging step apart. */
export const PRIORITY_VALUES = { low: 1, medium: 2, high: 3 } as const;

/** The highest numeric priority. */
export const MAX_PRIORITY = 1_000;

/** @internal A priority as its number; throws `INVALID_OPTION` for anything else. */
export function priorityValue(owner: string, field: string, priority: unknown): number {
  if (typeof priority === 'string' && Object.hasOwn(PRIORITY_VALUES, priority)) {
    return PRIORITY_VALUES[priority as keyof typeof PRIORITY_VALUES];
  }
  if (
    Number.isInteger(priority) &&
    (priority as number) >= 0 &&
    (priority as number) <= MAX_PRIORITY
  ) {
    return priority as number;
  }
  throw invalidOption(
    owner,
    `${field} should be 'high', 'medium', 'low' or an integer from 0 to ${MAX_PRIORITY}, got ${describeValue(priority)}`,
  );
}
