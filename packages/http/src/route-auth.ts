import type { BearerAuth } from './bearer-auth.js';
import { HttpError } from './errors.js';
import { errorReply, type Reply } from './route-reply.js';

/**
 * @internal Whether a request may reach a route: `undefined` when it may, else the reply that
 * refuses it. A route that changes state is off (403 `HTTP_WRITES_DISABLED`) while the router
 * has no token; with one, it needs `Authorization: Bearer <token>` (401 `HTTP_UNAUTHORIZED`
 * otherwise), as every route does with `protectReadEndpoints`.
 */
export function authorize(
  route: { readonly label: string; readonly needsToken: boolean; readonly changesState: boolean },
  auth: BearerAuth | undefined,
  authorization: string | undefined,
): Reply | undefined {
  if (!route.needsToken) return undefined;
  if (auth === undefined) {
    return errorReply(
      new HttpError(
        'HTTP_WRITES_DISABLED',
        `${route.label} changes state and is off because the monitoring router has no token; configure token to enable it`,
      ),
    );
  }
  const result = auth.check(authorization);
  if (result === 'ok') return undefined;
  const message =
    result === 'missing'
      ? 'this endpoint needs Authorization: Bearer <token>'
      : 'the bearer token is not valid';
  const challenge =
    result === 'missing' ? 'Bearer realm="vigil"' : 'Bearer realm="vigil", error="invalid_token"';
  return errorReply(new HttpError('HTTP_UNAUTHORIZED', message), {
    'www-authenticate': challenge,
  });
}
