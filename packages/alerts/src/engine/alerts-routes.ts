import { VigilError } from '@vigil/core';
import type { AlertRuleDefinition } from '../rules/rule-definition.js';
import type { AlertEngine } from './alert-engine.js';

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

/** Codes of errors a bad rule throws: answered 400. */
const BAD_RULE = new Set([
  'PROMQL_SYNTAX',
  'PROMQL_UNSUPPORTED',
  'INVALID_RULE',
  'TEMPLATE_ERROR',
  'INVALID_OPTION',
  'INVALID_DURATION',
]);

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

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
 * The writes need the router's token. A rule Vigil cannot evaluate answers 400 with its error's
 * code (`PROMQL_SYNTAX`, `PROMQL_UNSUPPORTED`, …) and message; an unknown rule 404.
 *
 * ```ts
 * createMonitoringRouter({ registry, token, routes: [alertsRoutes(alerts)] });
 * ```
 */
export function alertsRoutes(engine: AlertsRoutesSource): AlertsRouteProvider {
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
          })),
        },
      })),
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

/** A route whose bad rules are answered 400 with their error, as the router answers its own. */
function route(
  method: AlertsRoute['method'],
  path: string,
  handler: (request: AlertsRouteRequest) => Promise<AlertsRouteReply>,
): AlertsRoute {
  return {
    method,
    path,
    changesState: method !== 'GET',
    handler: async (request) => {
      try {
        return await handler(request);
      } catch (error) {
        if (error instanceof VigilError && BAD_RULE.has(error.code)) {
          return { status: 400, body: { code: error.code, message: error.message } };
        }
        throw error;
      }
    },
  };
}
