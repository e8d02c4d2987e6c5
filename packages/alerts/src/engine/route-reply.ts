import { VigilError } from '@vigil/core';
import type { AlertsRoute, AlertsRouteReply, AlertsRouteRequest } from './alerts-routes.js';

/** Codes of errors a bad rule throws: answered 400. */
const BAD_RULE = new Set([
  'PROMQL_SYNTAX',
  'PROMQL_UNSUPPORTED',
  'INVALID_RULE',
  'TEMPLATE_ERROR',
  'INVALID_OPTION',
  'INVALID_DURATION',
]);

export function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** A route whose bad rules are answered 400 with their error, as the router answers its own. */
export function route(
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
