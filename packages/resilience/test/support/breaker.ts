import type { CircuitBreaker, StateChangeEvent } from '../../src/index.js';

export const boom = (): Promise<never> => Promise.reject(new Error('boom'));
export const ok = (): Promise<string> => Promise.resolve('ok');

/** Fails `n` calls through `breaker`, swallowing the errors. */
export async function failTimes(breaker: CircuitBreaker<unknown>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await breaker.execute(boom).catch(() => undefined);
}

/** Records every transition of `breaker` as `from>to:reason`. */
export function transitions(breaker: CircuitBreaker<unknown>): string[] {
  const seen: string[] = [];
  breaker.on('stateChange', (event: StateChangeEvent) =>
    seen.push(`${event.from}>${event.to}:${event.reason}`),
  );
  return seen;
}
