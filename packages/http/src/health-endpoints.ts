import {
  HealthClosedError,
  type HealthMonitor,
  type HealthReport,
  type ProbeReport,
  renderHealthJson,
} from '@vigil/health';
import { HttpError } from './errors.js';
import type { RouteDefinition, RouteProvider } from './route-definition.js';
import type { RouteReply } from './route-reply.js';

const HEALTH_JSON = 'application/health+json';
const PROBES = ['live', 'ready', 'started'] as const;

/**
 * The health routes: `/health` (`?quick=true` for the quick checks), `/health/live`,
 * `/health/ready`, `/health/started`, rendered as `application/health+json` with 200 or 503.
 */
export function healthRoutes(health: HealthMonitor, outputs: boolean): RouteProvider {
  const render = (report: HealthReport | ProbeReport): RouteReply => {
    const rendered = renderHealthJson(report, { outputs });
    return {
      status: rendered.status,
      headers: { 'content-type': HEALTH_JSON },
      body: JSON.stringify(rendered.body),
    };
  };
  return {
    name: 'health',
    routes: [
      {
        method: 'GET',
        path: '/health',
        handler: (request) => {
          const quick = quickOf(request.query.get('quick'));
          return answer(() => health.check({ quick }), render);
        },
      },
      ...PROBES.map(
        (probe): RouteDefinition => ({
          method: 'GET',
          path: `/health/${probe}`,
          handler: () => answer(() => health[probe](), render),
        }),
      ),
    ],
  };
}

async function answer<R extends HealthReport | ProbeReport>(
  run: () => Promise<R>,
  render: (report: R) => RouteReply,
): Promise<RouteReply> {
  try {
    return render(await run());
  } catch (error) {
    // A closed monitor (the process is shutting down) fails the check rather than the request.
    if (error instanceof HealthClosedError) {
      return {
        status: 503,
        headers: { 'content-type': HEALTH_JSON },
        body: JSON.stringify({ status: 'fail', output: 'the health monitor is closed' }),
      };
    }
    throw error;
  }
}

function quickOf(value: string | null): boolean {
  if (value === null || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1' || value === '') return true;
  throw new HttpError(
    'HTTP_BAD_REQUEST',
    `quick should be true or false, got ${JSON.stringify(value)}`,
  );
}
