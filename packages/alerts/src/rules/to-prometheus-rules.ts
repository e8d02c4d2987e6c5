import { stringify } from 'yaml';
import { InvalidRuleError } from '../errors.js';
import type { CheckedRule } from './rule-definition.js';

/** A group of checked rules, as the export reads it. */
export interface ExportedGroup {
  readonly name: string;
  /** ms; undefined: none written (Prometheus then uses its global evaluation interval). */
  readonly interval: number | undefined;
  readonly rules: readonly CheckedRule[];
}

/** A duration in ms as Prometheus writes one: `1h30m`, `5m`, `90s` → `1m30s`, `250ms`. */
export function prometheusDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of [
    ['y', 31_536_000_000],
    ['w', 604_800_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
    ['ms', 1],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

/** Options of `toPrometheusRules()`. */
export interface ExportOptions {
  /**
   * Function rules have no PromQL to write: by default the export refuses them
   * (`INVALID_RULE`, naming them); `true` leaves them out (and a group left empty).
   */
  readonly omitFunctionRules?: boolean | undefined;
}

/**
 * A Prometheus rule file (YAML) with the groups' rules, as `promtool check rules` accepts it and
 * Prometheus loads it: `alert`, `expr` (as written), `for`, `keep_firing_for`, `labels` (the
 * severity included) and `annotations`.
 *
 * @throws InvalidRuleError for a function rule, unless `omitFunctionRules`.
 */
export function toPrometheusRules(
  groups: readonly ExportedGroup[],
  options: ExportOptions = {},
): string {
  const functions = groups.flatMap((group) =>
    group.rules
      .filter((r) => r.definition.function)
      .map((r) => `${group.name}/${r.definition.name}`),
  );
  if (functions.length > 0 && options.omitFunctionRules !== true) {
    throw new InvalidRuleError(
      `function rules cannot be exported to Prometheus (no PromQL): ${functions.join(', ')}; pass { omitFunctionRules: true } to leave them out`,
    );
  }
  const exported = groups
    .map((group) => ({ ...group, rules: group.rules.filter((r) => !r.definition.function) }))
    .filter((group) => group.rules.length > 0);
  const document = {
    groups: exported.map((group) => ({
      name: group.name,
      ...(group.interval === undefined ? {} : { interval: prometheusDuration(group.interval) }),
      rules: group.rules.map(({ definition }) => ({
        alert: definition.name,
        expr: definition.expr,
        ...(definition.for === 0 ? {} : { for: prometheusDuration(definition.for) }),
        ...(definition.keepFiringFor === 0
          ? {}
          : { keep_firing_for: prometheusDuration(definition.keepFiringFor) }),
        ...(Object.keys(definition.labels).length === 0
          ? {}
          : { labels: { ...definition.labels } }),
        ...(Object.keys(definition.annotations).length === 0
          ? {}
          : { annotations: { ...definition.annotations } }),
      })),
    })),
  };
  return stringify(document, { lineWidth: 0 });
}
