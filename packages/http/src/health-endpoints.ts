import { ConfigurationError, VigilError } from '@vigil/core';
import {
  type HealthMonitor,
  type HealthReport,
  type ProbeReport,
  renderHealthJson,
} from '@vigil/health';
import { describeValue, HttpError } from './errors.js';
import type { RouteReply } from './route-reply.js';
import type { RouteRequest } from './route-request.js';

type Endpoint = (request: RouteRequest) => Promise<RouteReply>;

const HEALTH_JSON = 'application/health+json';
const PROBES = ['live', 'ready', 'started'] as const;

/**
 * The health routes: `/health` (`?quick=true` for the quick checks), `/health/live`,
 * `/health/ready`, `/health/started`, rendered as `application/health+json` with 200 or 503.
 * Without a monitor each answers 404 `HTTP_NOT_FOUND`.
 */
export function healthEndpoints(
  health: HealthMonitor | undefined,
  outputs: boolean,
): Array<[path: string, endpoint: Endpoint]> {
  if (health === undefined) {
    const missing: Endpoint = () =>
      Promise.reject(
        new HttpError(
          'HTTP_NOT_FOUND',
          'no health monitor is configured; pass health: new HealthMonitor(…) to the monitoring router',
        ),
      );
    return [
      ['/health', missing],
      ...PROBES.map((p): [string, Endpoint] => [`/health/${p}`, missing]),
    ];
  }
  checkMonitor(health);
  const render = (report: HealthReport | ProbeReport): RouteReply => {
    const rendered = renderHealthJson(report, { outputs });
    return {
      status: rendered.status,
      headers: { 'content-type': HEALTH_JSON },
      body: JSON.stringify(rendered.body),
    };
  };
  const endpoints: Array<[string, Endpoint]> = [
    [
      '/health',
      (request) => {
        const quick = quickOf(request.query.get('quick'));
        return answer(() => health.check({ quick }), render);
      },
    ],
  ];
  for (const probe of PROBES) {
    endpoints.push([`/health/${probe}`, () => answer(() => health[probe](), render)]);
  }
  return endpoints;
}

async function answer<R extends HealthReport | ProbeReport>(
  run: () => Promise<R>,
  render: (report: R) => RouteReply,
): Promise<RouteReply> {
  try {
    return render(await run());
  } catch (error) {
    // A closed monitor (the process is shutting down) fails the check rather than the request.
    if (error instanceof VigilError && error.code === 'HEALTH_CLOSED') {
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

function checkMonitor(health: unknown): void {
  const monitor = health as Partial<Record<string, unknown>>;
  if (
    typeof health !== 'object' ||
    health === null ||
    typeof monitor.check !== 'function' ||
    PROBES.some((probe) => typeof monitor[probe] !== 'function')
  ) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `createMonitoringRouter: health should be a HealthMonitor from @vigil/health, got ${describeValue(health)}`,
    );
  }
}
