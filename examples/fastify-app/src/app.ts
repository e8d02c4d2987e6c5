import { Registry } from '@vigil/core';
import { vigil } from '@vigil/fastify';
import { checks, HealthMonitor } from '@vigil/health';
import { createTimers } from '@vigil/timers';
import Fastify, { type FastifyInstance } from 'fastify';
import { ordersRoutes } from './orders.js';

/** Options of `buildApp()`. */
export interface AppOptions {
  /** Fastify's logger; default off. */
  logger?: boolean;
}

/**
 * The example app, not listening yet: Vigil registered first (request metrics, the monitoring
 * routes under `/_vigil`, Server-Timing), then a home route and the orders API under `/api/v1`.
 * Closing the app turns readiness off first, then closes the health monitor.
 */
export async function buildApp(options: AppOptions = {}): Promise<FastifyInstance> {
  const registry = new Registry({ defaultLabels: { service: 'fastify-app' } });
  const timers = createTimers(registry);
  const health = new HealthMonitor({
    checks: [
      checks.eventLoop(),
      checks.heap(),
      checks.custom('orders-store', () => ({ status: 'pass' }), { quick: true }),
    ],
    registry,
    version: '1.0.0',
  });

  const app = Fastify({ logger: options.logger ?? false });
  await app.register(vigil, { registry, health, prefix: '/_vigil', serverTiming: true });

  app.get('/', async () => ({
    hello: 'Vigil',
    try: ['/api/v1/orders/1', '/_vigil/metrics', '/_vigil/health'],
  }));
  await app.register(ordersRoutes, { prefix: '/api/v1', timers });

  app.addHook('preClose', async () => health.beginShutdown());
  app.addHook('onClose', async () => health.close());
  return app;
}
