/**
 * @internal Reads a Retry-After hint from an error's `retryAfter` property, in milliseconds from
 * `now`: a number (milliseconds), a `Date`, or a string as in the HTTP `Retry-After` header
 * (delay-seconds such as `'120'`, or an HTTP-date). Anything else gives undefined: no hint.
 */
export function retryAfterOf(error: unknown, now: number): number | undefined {
  if (typeof error !== 'object' || error === null || !('retryAfter' in error)) return undefined;
  const hint = (error as { retryAfter: unknown }).retryAfter;
  if (typeof hint === 'number') return hint >= 0 && !Number.isNaN(hint) ? hint : undefined;
  if (hint instanceof Date) return atDate(hint.getTime(), now);
  if (typeof hint !== 'string') return undefined;
  const text = hint.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  return atDate(Date.parse(text), now);
}

function atDate(time: number, now: number): number | undefined {
  if (Number.isNaN(time)) return undefined;
  return Math.max(0, time - now);
}
