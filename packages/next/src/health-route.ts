import { type OnError, Registry } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalBoolean,
  optionalChoice,
  optionalOnError,
} from '@vigil/core/options';
import { getHealth } from './global-health.js';
import type { HealthMonitor } from './health-monitor.js';
import type { MonitoringRouteHandlers } from './metrics-route.js';
import { MonitoringEndpoint } from './monitoring-endpoint.js';

/** Which health answer a route gives. */
export type HealthProbe = 'check' | 'live' | 'ready' | 'started';

/** Options of `healthRoute()`. */
export interface HealthRouteOptions {
  /** The monitor to answer from; default `getHealth()`, looked up per request. */
  health?: HealthMonitor | undefined;
  /**
   * `'check'` (default): the full checks, or the quick ones with `?quick=true`; `'live'`,
   * `'ready'`, `'started'`: the Kubernetes probes.
   */
  probe?: HealthProbe | undefined;
  /** Bearer token the caller must send (at least 16 characters); default none: open. */
  token?: string | undefined;
  /**
   * Include the checks' `output` and `details` (they can name hosts); default true. Turn it off
   * on a route the public can reach.
   */
  outputs?: boolean | undefined;
  /**
   * Called with an error the monitor threw (the request is answered 500), with
   * `{ source: 'MonitoringRouter', operation: 'GET /health' }`; default: one `VigilWarning`
   * (`VIGIL_BACKGROUND_ERROR`) per route.
   */
  onError?: OnError | undefined;
}

const NO_MONITOR =
  'no health monitor is set; call setHealth(new HealthMonitor(…)) in register() of instrumentation.ts, or pass healthRoute({ health })';
const OPTIONS = ['health', 'probe', 'token', 'outputs', 'onError'] as const;
const OWNER = 'healthRoute';
const PROBES: readonly HealthProbe[] = ['check', 'live', 'ready', 'started'];
const PATHS: Readonly<Record<HealthProbe, string>> = {
  check: '/health',
  live: '/health/live',
  ready: '/health/ready',
  started: '/health/started',
};

/**
 * Route handlers for `app/api/health/route.ts` (and `…/health/live/route.ts`,
 * `…/health/ready/route.ts` with `probe`) that answer the health monitor's report as
 * `application/health+json`: 200 for pass and warn, 503 for fail.
 *
 * ```ts
 * export const { GET } = healthRoute();                    // app/api/health/route.ts
 * export const { GET } = healthRoute({ probe: 'ready' });  // app/api/health/ready/route.ts
 * export const runtime = 'nodejs';
 * export const dynamic = 'force-dynamic';
 * ```
 *
 * Without a monitor (none given, none set with `setHealth()`) the route answers 404
 * `HTTP_NOT_FOUND`.
 *
 * @throws ConfigurationError `INVALID_OPTION` for bad options (an unknown probe, a short token).
 */
export function healthRoute(options: HealthRouteOptions = {}): MonitoringRouteHandlers {
  const given = checkOptionsObject(OWNER, options, OPTIONS);
  const explicit = given.health as HealthMonitor | undefined;
  if (explicit !== undefined && !hasMethods(explicit, ['check', 'live', 'ready', 'started'])) {
    throw invalidOption(
      OWNER,
      `health should be a HealthMonitor from @vigil/health, got ${describeValue(explicit)}`,
    );
  }
  const path = PATHS[optionalChoice(OWNER, 'probe', given.probe, PROBES) ?? 'check'];
  const outputs = optionalBoolean(OWNER, 'outputs', given.outputs);
  const registry = new Registry(); // the router wants one; the health routes never read it
  const endpoint = new MonitoringEndpoint(
    {
      path,
      resolve: () => ({ registry, health: explicit ?? getHealth() }),
      token: given.token as string | undefined,
      healthOutputs: outputs,
      onError: optionalOnError(OWNER, 'onError', given.onError),
      noHealth: NO_MONITOR,
    },
    { registry, health: explicit },
  );
  const GET = (request: Request): Promise<Response> => endpoint.serve(request);
  return { GET, HEAD: GET };
}
