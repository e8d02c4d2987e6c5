import { createMonitoringRouter, HttpMetrics } from '@vigil/http';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { addMonitoringRoutes, monitoringFilter } from './monitoring-routes.js';
import { addRequestMetricsHooks } from './request-metrics-hooks.js';
import { decorateRequests } from './request-state.js';
import { addServerTimingHooks } from './server-timing-hooks.js';
import { pluginConfig, type VigilFastifyOptions } from './vigil-fastify-options.js';

async function vigilPlugin(fastify: FastifyInstance, options: VigilFastifyOptions): Promise<void> {
  const config = pluginConfig(options, fastify.prefix);
  const metrics = new HttpMetrics(config.metrics);
  const router = createMonitoringRouter(config.router);
  decorateRequests(fastify);
  const isMonitoring = monitoringFilter(router, config.endpoints);
  addRequestMetricsHooks(fastify, metrics, isMonitoring);
  if (config.serverTiming) addServerTimingHooks(fastify, isMonitoring);
  if (config.endpoints) addMonitoringRoutes(fastify, router);
}

/**
 * The Vigil plugin for Fastify 5: request metrics per the OpenTelemetry HTTP conventions from
 * `onRequest` / `onResponse` hooks (route template from `request.routeOptions.url`), the
 * monitoring routes (`/metrics`, `/health…`) and, opt-in, `Server-Timing`. Wrapped with
 * `fastify-plugin`, so that registered at the root it sees the routes of every child context:
 *
 * ```ts
 * await app.register(vigil, { registry, health, prefix: '/_vigil' });
 * ```
 *
 * Register it once, at the root; it also sees contexts registered before it. Bad options reject
 * the registration with core's `ConfigurationError` (`INVALID_OPTION`); a second registration on
 * the same instance, with `VigilFastifyError` (`FASTIFY_ALREADY_REGISTERED`).
 */
export const vigil: FastifyPluginAsync<VigilFastifyOptions> = fastifyPlugin(vigilPlugin, {
  fastify: '5.x',
  name: '@vigil/fastify',
});
