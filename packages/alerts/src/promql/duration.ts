const UNITS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

const DURATION = /^(?:(\d+)(ms|s|m|h|d|w|y))+$/;
const PART = /(\d+)(ms|s|m|h|d|w|y)/g;

/**
 * A PromQL duration (`5m`, `1h30m`, `90s`, units in descending order, each once) in ms; a bare
 * number is seconds. Undefined when it is neither.
 */
export function parseDuration(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1_000;
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  let last = Number.POSITIVE_INFINITY;
  for (const [, amount, unit] of text.matchAll(PART)) {
    const size = UNITS[unit as string] as number;
    // Prometheus wants each unit once, larger ones first: 1h30m, not 30m1h.
    if (size >= last) return undefined;
    last = size;
    total += Number(amount) * size;
  }
  return total;
}
