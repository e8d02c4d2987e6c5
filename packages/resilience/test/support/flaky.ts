import { vi } from 'vitest';

/** A task that fails `failures` times, then returns 'done'; records when each attempt ran. */
export function flaky(failures: number, error: () => unknown = () => new Error('flaky')) {
  const attempts: number[] = [];
  const fn = vi.fn(async () => {
    attempts.push(Date.now());
    if (attempts.length <= failures) throw error();
    return 'done';
  });
  return { fn, attempts };
}

/** Delays between consecutive attempts. */
export function gaps(attempts: number[]): number[] {
  return attempts.slice(1).map((time, i) => time - (attempts[i] as number));
}
