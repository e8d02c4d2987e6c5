const LABEL_SPECIAL = /[\\"\n]/;
const LABEL_SPECIAL_ALL = /[\\"\n]/g;
const HELP_SPECIAL_ALL = /[\\\n]/g;
const OPENMETRICS_HELP_SPECIAL_ALL = /[\\"\n]/g;

function escapeChar(char: string): string {
  return char === '\n' ? '\\n' : `\\${char}`;
}

/** Escapes a label value for both text formats: backslash, double quote and newline. */
export function escapeLabelValue(value: string): string {
  return LABEL_SPECIAL.test(value) ? value.replace(LABEL_SPECIAL_ALL, escapeChar) : value;
}

/** Escapes help text: the Prometheus text format escapes backslash and newline only. */
export function escapeHelp(help: string, openMetrics: boolean): string {
  return help.replace(openMetrics ? OPENMETRICS_HELP_SPECIAL_ALL : HELP_SPECIAL_ALL, escapeChar);
}

/** Formats a sample value as both text formats spell it (`+Inf`, `-Inf`, `NaN`). */
export function formatNumber(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

/** Renders one label pair, `name="value"`. */
export function labelPair(name: string, value: string): string {
  return `${name}="${escapeLabelValue(value)}"`;
}

/** OpenMetrics' canonical number for `le` and `quantile`: integers get a `.0` (`1.0`, `10.0`). */
export function formatCanonical(value: number): string {
  const text = formatNumber(value);
  return Number.isInteger(value) && !text.includes('e') ? `${text}.0` : text;
}

/** Pairs remembered per label by `labelPairs`: enough for the values a label repeats. */
const PAIRS_PER_LABEL = 1024;

/**
 * `labelPair` for the labels `names`, by level, remembering the pairs it made: a label with few
 * values (method, status) is rendered under every route, and rebuilding its pair each time was
 * one escape test and two strings per series. An id-like label fills its memo and then is
 * rendered as usual. One per render, so the memo does not outlive it.
 */
export function labelPairs(names: readonly string[]): (level: number, value: string) => string {
  const memos = names.map(() => new Map<string, string>());
  return (level, value) => {
    const memo = memos[level] as Map<string, string>;
    let pair = memo.get(value);
    if (pair === undefined) {
      pair = labelPair(names[level] as string, value);
      if (memo.size < PAIRS_PER_LABEL) memo.set(value, pair);
    }
    return pair;
  };
}
