import { serverTimingHeader } from '@vigil/http';
import { timingScope } from '@vigil/timers';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import type { MonitoringFilter } from './monitoring-routes.js';
import { kTimingScope, type VigilRequest } from './request-state.js';

/**
 * @internal With `serverTiming: true`: runs the rest of each request's lifecycle in a
 * `@vigil/timers` timing scope kept on the request, and sets `Server-Timing` from that scope in
 * `onSend` (appending to a header the route set). Not added otherwise: without it, nothing
 * touches `AsyncLocalStorage`.
 */
export function addServerTimingHooks(
  fastify: FastifyInstance,
  isMonitoring: MonitoringFilter,
): void {
  fastify.addHook(
    'onRequest',
    function openTimingScope(
      request: FastifyRequest,
      _reply: FastifyReply,
      done: HookHandlerDoneFunction,
    ) {
      if (isMonitoring(request.raw.url ?? '/')) {
        done();
        return;
      }
      timingScope((scope) => {
        (request as VigilRequest)[kTimingScope] = scope;
        done();
      });
    },
  );

  fastify.addHook(
    'onSend',
    function setServerTiming(
      request: FastifyRequest,
      reply: FastifyReply,
      payload: unknown,
      done: (error: Error | null, payload?: unknown) => void,
    ) {
      const scope = (request as VigilRequest)[kTimingScope];
      if (scope) {
        const value = serverTimingHeader(scope);
        if (value !== '') {
          const existing = reply.getHeader('server-timing');
          reply.header(
            'server-timing',
            existing === undefined ? value : `${String(existing)}, ${value}`,
          );
        }
      }
      done(null, payload);
    },
  );
}
