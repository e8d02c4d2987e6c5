import type { DurationInput } from '@vigil/core';
import { checkOptionsObject, invalidOption, optionalDuration } from '@vigil/core/options';
import type { Labels } from '../promql/labels.js';
import { compileMatchers, formatMatcher, type MatcherInput, type Matchers } from './matchers.js';

/** A node of the routing tree, as Alertmanager's `route` (in camelCase). */
export interface RouteConfig {
  /** Where its alerts go; inherited from the parent when absent (the root needs one). */
  receiver?: string | undefined;
  /** Every matcher must hold for an alert to take this route (the root takes every alert). */
  matchers?: readonly MatcherInput[] | undefined;
  /** After matching this route, go on trying its later siblings. Default false. */
  continue?: boolean | undefined;
  /** Labels that make a group; `['...']` groups by every label. Inherited. */
  groupBy?: readonly string[] | undefined;
  /** How long a new group waits for more alerts before its first notification. Default 30 s. */
  groupWait?: DurationInput | undefined;
  /** How long between notifications of a group that changed. Default 5 min. */
  groupInterval?: DurationInput | undefined;
  /** How long before a group that did not change is notified again. Default 4 h. */
  repeatInterval?: DurationInput | undefined;
  /** Names of time intervals when this route sends nothing (maintenance windows). */
  muteTimeIntervals?: readonly string[] | undefined;
  /** Names of time intervals outside which this route sends nothing. */
  activeTimeIntervals?: readonly string[] | undefined;
  routes?: readonly RouteConfig[] | undefined;
}

/** A route resolved: inherited settings filled in, matchers compiled. */
export interface Route {
  /** Identifies the route in group keys: its parents' matchers and its own. */
  readonly key: string;
  readonly receiver: string;
  readonly matches: Matchers;
  readonly continue: boolean;
  /** undefined: every label (`...`). */
  readonly groupBy: readonly string[] | undefined;
  readonly groupWait: number;
  readonly groupInterval: number;
  readonly repeatInterval: number;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  readonly routes: readonly Route[];
}

const KEYS = [
  'receiver',
  'matchers',
  'continue',
  'groupBy',
  'groupWait',
  'groupInterval',
  'repeatInterval',
  'muteTimeIntervals',
  'activeTimeIntervals',
  'routes',
] as const;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function names(owner: string, field: string, value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((name) => typeof name !== 'string')) {
    throw invalidOption(owner, `${field} should be a list of names`);
  }
  return value as string[];
}

/**
 * Resolves a routing tree, checking every node: children inherit the receiver, `groupBy` and the
 * three intervals, as in Alertmanager.
 *
 * @throws ConfigurationError naming the route for a bad field, an unknown receiver or time
 *   interval, or a root with matchers or without a receiver.
 */
export function resolveRoute(
  config: RouteConfig,
  known: { receivers: ReadonlySet<string>; timeIntervals: ReadonlySet<string> },
): Route {
  return resolveNode(config, undefined, '', known);
}

function resolveNode(
  config: RouteConfig,
  parent: Route | undefined,
  key: string,
  known: { receivers: ReadonlySet<string>; timeIntervals: ReadonlySet<string> },
): Route {
  const owner = parent === undefined ? 'route' : `route ${key}`;
  const given = checkOptionsObject(owner, config, KEYS, { required: true });
  const { matchers, test } = compileMatchers(
    owner,
    given['matchers'] as MatcherInput[] | undefined,
  );
  if (parent === undefined && matchers.length > 0) {
    throw invalidOption(owner, 'the root route takes every alert: it has no matchers');
  }
  const receiver = (given['receiver'] as string | undefined) ?? parent?.receiver;
  if (receiver === undefined) throw invalidOption(owner, 'the root route needs a receiver');
  if (!known.receivers.has(receiver)) {
    throw invalidOption(owner, `no receiver named ${JSON.stringify(receiver)}`);
  }
  const groupByNames = names(owner, 'groupBy', given['groupBy']);
  let groupBy = parent === undefined ? [] : parent.groupBy;
  if (groupByNames !== undefined) {
    if (groupByNames.includes('...')) {
      if (groupByNames.length > 1)
        throw invalidOption(owner, "groupBy ['...'] takes no other label");
      groupBy = undefined;
    } else {
      const bad = groupByNames.find((name) => !LABEL.test(name));
      if (bad !== undefined)
        throw invalidOption(owner, `groupBy: ${JSON.stringify(bad)} is not a label name`);
      groupBy = groupByNames;
    }
  }
  const intervals = (field: string): readonly string[] => {
    const list = names(owner, field, given[field]) ?? [];
    const unknown = list.find((name) => !known.timeIntervals.has(name));
    if (unknown !== undefined)
      throw invalidOption(owner, `${field}: no time interval named ${JSON.stringify(unknown)}`);
    return list;
  };
  const ownKey = `${key}/{${matchers.map(formatMatcher).join(',')}}`;
  const route: Route = {
    key: parent === undefined ? '{}' : ownKey,
    receiver,
    matches: test,
    continue: given['continue'] === true,
    groupBy,
    groupWait:
      optionalDuration(owner, 'groupWait', given['groupWait']) ?? parent?.groupWait ?? 30_000,
    groupInterval:
      optionalDuration(owner, 'groupInterval', given['groupInterval'], { positive: true }) ??
      parent?.groupInterval ??
      300_000,
    repeatInterval:
      optionalDuration(owner, 'repeatInterval', given['repeatInterval'], { positive: true }) ??
      parent?.repeatInterval ??
      14_400_000,
    muteTimeIntervals: intervals('muteTimeIntervals'),
    activeTimeIntervals: intervals('activeTimeIntervals'),
    routes: [],
  };
  const children = given['routes'];
  if (children !== undefined && !Array.isArray(children))
    throw invalidOption(owner, 'routes should be a list');
  const seen = new Map<string, number>();
  (route.routes as Route[]).push(
    ...((children as RouteConfig[] | undefined) ?? []).map((child) => {
      const resolved = resolveNode(child, route, route.key, known);
      // Siblings with the same matchers get an index, so their groups stay apart.
      const count = seen.get(resolved.key) ?? 0;
      seen.set(resolved.key, count + 1);
      return count === 0 ? resolved : { ...resolved, key: `${resolved.key}/${count}` };
    }),
  );
  return route;
}

/**
 * The routes an alert takes, as Alertmanager's `Route.Match`: depth first, the first matching
 * child (and its later siblings while `continue`), the node itself when no child matches.
 */
export function matchRoutes(route: Route, labels: Labels): Route[] {
  if (!route.matches(labels)) return [];
  const all: Route[] = [];
  for (const child of route.routes) {
    const matched = matchRoutes(child, labels);
    all.push(...matched);
    if (matched.length > 0 && !child.continue) break;
  }
  if (all.length === 0) all.push(route);
  return all;
}
