import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type ExpositionFormat, Registry } from '@vigil/core';
import { acceptsGzip, negotiateFormat } from './content-negotiation.js';
import type { OpenMetricsMode } from './monitoring-router-options.js';
import type { RouteProvider } from './route-definition.js';

const gzipAsync = promisify(gzip);

/**
 * What `GET /metrics` renders: a `Registry`, or anything that renders like one (a cluster
 * aggregator).
 */
export interface MetricsEndpointSource {
  metrics(options?: { format?: ExpositionFormat }): Promise<string>;
}

/**
 * `GET /metrics`: the registry in the Prometheus text format 0.0.4, or OpenMetrics for
 * `?format=openmetrics` (and, with `openMetrics: 'negotiate'`, when the `Accept` header prefers
 * it), gzipped when `Accept-Encoding` allows it.
 */
export function metricsRoutes(
  registry: MetricsEndpointSource,
  openMetrics: OpenMetricsMode,
): RouteProvider {
  const negotiate = openMetrics === 'negotiate';
  return {
    name: 'metrics',
    routes: [
      {
        method: 'GET',
        path: '/metrics',
        handler: async (request) => {
          const format = negotiateFormat(
            request.query.get('format'),
            negotiate ? request.header('accept') : undefined,
          );
          const text = await registry.metrics({ format });
          const headers: Record<string, string> = {
            'content-type': Registry.contentTypeOf(format),
            vary: negotiate ? 'Accept, Accept-Encoding' : 'Accept-Encoding',
          };
          if (!acceptsGzip(request.header('accept-encoding'))) return { headers, body: text };
          headers['content-encoding'] = 'gzip';
          return { headers, body: await gzipAsync(text) };
        },
      },
    ],
  };
}
