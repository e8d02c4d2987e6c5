import type { DurationInput } from '@vigil/core';
import { invalidOption, optionalDuration } from '@vigil/core/options';

/** The wait before a notification repeats, by severity: it starts at the first and doubles up to the second. */
export type CooldownsConfig = Readonly<Record<string, readonly [DurationInput, DurationInput]>>;

/** The in-house systems' defaults: critical 5–15 min, error 15–30 min, warning 30–60 min. */
export const DEFAULT_COOLDOWNS: CooldownsConfig = {
  critical: ['5m', '15m'],
  error: ['15m', '30m'],
  warning: ['30m', '60m'],
};

/** The order of severities, the most severe first: a group repeats as its most severe alert. */
const RANK = ['critical', 'error', 'warning', 'info'];

/** @internal Cooldowns checked: `[first, longest]` in ms, by severity. */
export type Cooldowns = ReadonlyMap<string, readonly [number, number]>;

export function checkCooldowns(value: CooldownsConfig | false | undefined): Cooldowns {
  if (value === false) return new Map();
  const given = value ?? DEFAULT_COOLDOWNS;
  if (typeof given !== 'object' || given === null) {
    throw invalidOption(
      'Notifier',
      'cooldowns should be a map of severity → [first, longest], or false',
    );
  }
  return new Map(
    Object.entries(given).map(([severity, pair]) => {
      const owner = `Notifier cooldowns.${severity}`;
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw invalidOption(owner, "should be [first, longest], such as ['5m', '15m']");
      }
      const first = optionalDuration(owner, '0', pair[0], { positive: true }) as number;
      const longest = optionalDuration(owner, '1', pair[1], { positive: true }) as number;
      if (longest < first) throw invalidOption(owner, 'the longest wait is shorter than the first');
      return [severity, [first, longest] as const];
    }),
  );
}

/**
 * The wait before the `repeats`-th repeat (0: the first) of a group whose most severe alert has
 * `severities`' rank; `fallback` (the route's `repeatInterval`) when no severity has a cooldown.
 */
export function repeatWait(
  cooldowns: Cooldowns,
  severities: Iterable<string | undefined>,
  repeats: number,
  fallback: number,
): number {
  let best: readonly [number, number] | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const severity of severities) {
    if (severity === undefined) continue;
    const cooldown = cooldowns.get(severity);
    const rank = RANK.indexOf(severity) === -1 ? RANK.length : RANK.indexOf(severity);
    if (cooldown !== undefined && rank < bestRank) {
      best = cooldown;
      bestRank = rank;
    }
  }
  if (best === undefined) return fallback;
  return Math.min(best[1], best[0] * 2 ** repeats);
}
