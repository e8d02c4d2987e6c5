import type { LabelMatcher } from '../time-series-store.js';

/** Whether `labels` satisfy every matcher (a missing label has the value `''`). */
export function matchesLabels(
  labels: Readonly<Record<string, string>>,
  matchers: Readonly<Record<string, LabelMatcher>> | undefined,
): boolean {
  if (matchers === undefined) return true;
  for (const [name, matcher] of Object.entries(matchers)) {
    if (!matchesOne(labels[name] ?? '', matcher)) return false;
  }
  return true;
}

function matchesOne(value: string, matcher: LabelMatcher): boolean {
  if (typeof matcher === 'string') return value === matcher;
  if (matcher instanceof RegExp) return fullMatch(matcher, value);
  return !matchesOne(value, matcher.not);
}

// Prometheus anchors label regexes: /5../ must match all of '503', not a part of '1503'.
function fullMatch(pattern: RegExp, value: string): boolean {
  const anchored = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
  return anchored.test(value);
}
