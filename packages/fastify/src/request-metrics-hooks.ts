import { errorType, type HttpMetrics } from '@vigil/http';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import type { MonitoringFilter } from './monitoring-routes.js';
import { kErrorType, kTiming, type VigilRequest } from './request-state.js';

/**
 * @internal Adds the hooks that record request metrics: `onRequest` starts the timing (skipping
 * the monitoring routes), `onError` keeps the error's type, `onResponse` records the route
 * template (`request.routeOptions.url`, undefined for Fastify's 404 handler) and status, and the
 * raw response's `close` records a request the client abandoned, so that the active gauge never
 * stays up.
 */
export function addRequestMetricsHooks(
  fastify: FastifyInstance,
  metrics: HttpMetrics,
  isMonitoring: MonitoringFilter,
): void {
  const bodySizes = metrics.requestSize !== undefined;

  fastify.addHook(
    'onRequest',
    function startTiming(
      request: FastifyRequest,
      reply: FastifyReply,
      done: HookHandlerDoneFunction,
    ) {
      const raw = request.raw;
      const url = raw.url ?? '/';
      if (!isMonitoring(url)) {
        const timing = metrics.start(raw.method ?? 'GET', url);
        if (timing !== undefined) {
          (request as VigilRequest)[kTiming] = timing;
          const res = reply.raw;
          const onClose = () => {
            // After `finish`, onResponse records (it may still be waiting on an async hook).
            if (timing.ended || res.writableFinished) return;
            const status = res.headersSent ? res.statusCode : undefined;
            metrics.end(timing, request.routeOptions.url, status, 'aborted');
          };
          // Gone already, while an earlier async onRequest hook of the app was waiting.
          if (res.destroyed) onClose();
          else res.on('close', onClose);
        }
      }
      done();
    },
  );

  fastify.addHook(
    'onError',
    function keepErrorType(
      request: FastifyRequest,
      _reply: FastifyReply,
      error: FastifyError,
      done: HookHandlerDoneFunction,
    ) {
      (request as VigilRequest)[kErrorType] = errorType(error);
      done();
    },
  );

  fastify.addHook(
    'onResponse',
    function endTiming(
      request: FastifyRequest,
      reply: FastifyReply,
      done: HookHandlerDoneFunction,
    ) {
      const timing = (request as VigilRequest)[kTiming];
      if (timing) {
        const status = reply.statusCode;
        // The conventions: only a server error (5xx) is an error; a thrown 4xx is the client's.
        const failure =
          status >= 500 ? ((request as VigilRequest)[kErrorType] ?? undefined) : undefined;
        if (bodySizes) {
          metrics.end(
            timing,
            request.routeOptions.url,
            status,
            failure,
            contentLength(request.headers['content-length']),
            contentLength(reply.getHeader('content-length')),
          );
        } else {
          metrics.end(timing, request.routeOptions.url, status, failure);
        }
      }
      done();
    },
  );
}

function contentLength(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value === '') return undefined;
  const bytes = Number(value);
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : undefined;
}
