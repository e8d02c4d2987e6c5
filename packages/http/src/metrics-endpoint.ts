import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Registry } from '@vigil/core';
import { acceptsGzip, negotiateFormat } from './content-negotiation.js';
import type { RouteReply } from './route-reply.js';
import type { RouteRequest } from './route-request.js';

const gzipAsync = promisify(gzip);

/**
 * `GET /metrics`: the registry in the format negotiated from `?format=` and `Accept`, gzipped
 * when `Accept-Encoding` allows it.
 */
export function metricsEndpoint(
  registry: Registry,
): (request: RouteRequest) => Promise<RouteReply> {
  return async (request) => {
    const format = negotiateFormat(request.query.get('format'), request.header('accept'));
    const text = await registry.metrics({ format });
    const headers: Record<string, string> = {
      'content-type': Registry.contentTypeOf(format),
      vary: 'Accept, Accept-Encoding',
    };
    if (!acceptsGzip(request.header('accept-encoding'))) return { headers, body: text };
    headers['content-encoding'] = 'gzip';
    return { headers, body: await gzipAsync(text) };
  };
}
