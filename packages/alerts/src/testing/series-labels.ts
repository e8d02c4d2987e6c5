import { InvalidRuleError } from '../errors.js';
import type { Labels } from '../promql/labels.js';
import { parsePromql } from '../promql/parse-promql.js';

/** The labels of a series written as `name{a="1", b="2"}` (or `{a="1"}`, or nothing). */
export function parseSeriesLabels(text: string): Labels {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '{}') return {};
  let expr: ReturnType<typeof parsePromql>;
  try {
    expr = parsePromql(trimmed);
  } catch (error) {
    throw new InvalidRuleError(
      `cannot read the series ${JSON.stringify(text)}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (
    expr.kind !== 'vector-selector' ||
    expr.matchers.some((m) => m.type !== '=') ||
    expr.offset !== 0
  ) {
    throw new InvalidRuleError(
      `${JSON.stringify(text)} is not a series: write name{label="value", …}`,
    );
  }
  const labels: Record<string, string> = {};
  for (const matcher of expr.matchers) labels[matcher.name] = matcher.value;
  return labels;
}
