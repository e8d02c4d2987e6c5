import {
  type NotifierRoutesSource,
  notificationState,
  notifierRoutes,
} from '../notify/notifier-routes.js';
import type { AlertRuleDefinition } from '../rules/rule-definition.js';
import type { AlertEngine } from './alert-engine.js';
import { iso, route } from './route-reply.js';

/*
 * The shapes `@vigil/http`'s monitoring router takes from a package, declared here so that
 * `@vigil/alerts` does not depend on `@vigil/http`: `alertsRoutes(engine)` is assignable to its
 * `RouteProvider`.
 */

/** The part of `@vigil/http`'s `RouteRequest` the alerts routes read. */
export interface AlertsRouteRequest {
  readonly params: Readonly<Record<string, string>>;
  /** The body parsed as JSON; undefined when there is none. */
  json(): Promise<unknown>;
}

/** A reply: `@vigil/http`'s `RouteReply` (a non-string body is sent as JSON). */
export interface AlertsRouteReply {
  status?: number;
  body?: unknown;
}

/** One route: `@vigil/http`'s `RouteDefinition`. */
export interface AlertsRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly handler: (request: AlertsRouteRequest) => Promise<AlertsRouteReply>;
  readonly changesState: boolean;
}

/** The alerts routes, as `@vigil/http`'s `RouteProvider`. */
export interface AlertsRouteProvider {
  readonly name: string;
  readonly routes: readonly AlertsRoute[];
}

/** What the routes read and change. */
export type AlertsRoutesSource = Pick<
  AlertEngine,
  'alerts' | 'rules' | 'groups' | 'addRule' | 'replaceRule' | 'removeRule'
>;

/**
 * The alerts routes for `@vigil/http`'s monitoring router, named `'@vigil/alerts'`:
 *
 * - `GET /alerts`: the pending and firing alerts: `labels`, `annotations`, `state`, `since` (ISO
 *   8601, when the condition started holding), `firingSince`, `value`.
 * - `GET /alerts/rules`: the groups and their rules, with `health`, `lastError`,
 *   `lastEvaluation` and `evaluationTime` (ms).
 * - `POST /alerts/rules/:group` with a rule (`{ name, expr, for, keepFiringFor, labels,
 *   annotations, severity }`): adds it (the group is made if missing) → 201.
 * - `PUT /alerts/rules/:group/:name`: replaces the rule; `DELETE /alerts/rules/:group/:name`.
 *
 * With `{ notifier }`, `GET /alerts` adds each alert's `id` (its fingerprint), `acknowledged`,
 * `silencedBy` and `inhibitedBy`, and there are `POST /alerts/:id/ack` and `/resolve` (with
 * `{ by, comment }`), `POST /alerts/:id/unack`, `POST /alerts/test` (`{ rule }` or
 * `{ labels }`), `GET /silences`, `POST /silences` (a silence; with `id`, an update) and
 * `DELETE /silences/:id` (expires it).
 *
 * The writes need the router's token. A rule Vigil cannot evaluate answers 400 with its error's
 * code (`PROMQL_SYNTAX`, `PROMQL_UNSUPPORTED`, …) and message; an unknown rule 404.
 *
 * ```ts
 * createMonitoringRouter({ registry, token, routes: [alertsRoutes(alerts)] });
 * ```
 */
export function alertsRoutes(
  engine: AlertsRoutesSource,
  options: { readonly notifier?: NotifierRoutesSource | undefined } = {},
): AlertsRouteProvider {
  const { notifier } = options;
  return {
    name: '@vigil/alerts',
    routes: [
      route('GET', '/alerts', async () => ({
        body: {
          alerts: engine.alerts().map((alert) => ({
            labels: alert.labels,
            annotations: alert.annotations,
            state: alert.state,
            since: iso(alert.activeAt),
            firingSince: iso(alert.firedAt),
            value: Number.isFinite(alert.value) ? alert.value : String(alert.value),
            ...(notifier === undefined ? {} : notificationState(notifier, alert.labels)),
          })),
        },
      })),
      ...(notifier === undefined ? [] : notifierRoutes(notifier)),
      route('GET', '/alerts/rules', async () => {
        const rules = engine.rules();
        return {
          body: {
            groups: engine.groups().map((group) => ({
              name: group.name,
              interval: group.interval,
              rules: rules
                .filter((rule) => rule.group === group.name)
                .map((rule) => ({
                  name: rule.name,
                  expr: rule.expr,
                  health: rule.health,
                  lastError: rule.lastError ?? null,
                  lastEvaluation: iso(rule.lastEvaluation),
                  evaluationTime: rule.evaluationTime ?? null,
                })),
            })),
          },
        };
      }),
      route('POST', '/alerts/rules/:group', async (request) => {
        await engine.addRule(
          request.params['group'] as string,
          (await request.json()) as AlertRuleDefinition,
        );
        return { status: 201, body: { added: true } };
      }),
      route('PUT', '/alerts/rules/:group/:name', async (request) => {
        const { group, name } = request.params as { group: string; name: string };
        if (!(await engine.replaceRule(group, name, (await request.json()) as AlertRuleDefinition)))
          return notFound(group, name);
        return { body: { replaced: true } };
      }),
      route('DELETE', '/alerts/rules/:group/:name', async (request) => {
        const { group, name } = request.params as { group: string; name: string };
        if (!(await engine.removeRule(group, name))) return notFound(group, name);
        return { body: { removed: true } };
      }),
    ],
  };
}

function notFound(group: string, name: string): AlertsRouteReply {
  return {
    status: 404,
    body: {
      code: 'HTTP_NOT_FOUND',
      message: `no rule ${JSON.stringify(name)} in group ${JSON.stringify(group)}`,
    },
  };
}
