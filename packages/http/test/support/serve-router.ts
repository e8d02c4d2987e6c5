import { Registry } from '@vigil/core';
import {
  createMonitoringRouter,
  type MonitoringRouter,
  type MonitoringRouterOptions,
} from '../../src/index.js';
import { listen, type TestServer } from './listen.js';

export interface Served {
  registry: Registry;
  router: MonitoringRouter;
  server: TestServer;
}

const open: TestServer[] = [];

/**
 * A real server whose requests go to a monitoring router first and to an "app" answering 418
 * `app` otherwise (what `next()` would reach). The registry holds `jobs_total 3`.
 */
export async function serveRouter(
  options: Partial<Omit<MonitoringRouterOptions, 'registry'>> & { registry?: Registry } = {},
  configure: (router: MonitoringRouter) => void = () => {},
): Promise<Served> {
  const registry = options.registry ?? new Registry();
  if (registry.get('jobs_total') === undefined) {
    registry.counter({ name: 'jobs_total', help: 'Jobs run.' }).inc(3);
  }
  const router = createMonitoringRouter({ ...options, registry });
  configure(router);
  const server = await listen((req, res) => {
    router.handle(req, res).then((handled) => {
      if (handled) return;
      res.statusCode = 418;
      res.end('app');
    });
  });
  open.push(server);
  return { registry, router, server };
}

/** Closes every server `serveRouter` started; call it in `afterEach`. */
export async function closeServers(): Promise<void> {
  await Promise.all(open.splice(0).map((server) => server.close()));
}
