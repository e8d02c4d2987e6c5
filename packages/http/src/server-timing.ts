import type { ServerResponse } from 'node:http';
import { currentScope, serverTiming, type TimingScope, timingScope } from '@vigil/timers';

/**
 * The `Server-Timing` header value of `scope` (default: the active timing scope of
 * `@vigil/timers`): `db;dur=12.3, api;dur=40.1`. `''` outside a scope or when no timer stopped.
 */
export function serverTimingHeader(scope: TimingScope | undefined = currentScope()): string {
  return scope === undefined ? '' : serverTiming(scope.entries);
}

/**
 * For `node:http` (and Express, Connect, Fastify's raw response): runs `fn` in a new timing scope
 * and sets the response's `Server-Timing` header from that scope when the headers are written
 * (by `writeHead`, or implicitly by the first `write`/`end`). Timers that stop after that are not
 * in the header. Call it only when Server-Timing is on: outside it, nothing touches
 * `AsyncLocalStorage`.
 */
export function runWithServerTiming<T>(res: ServerResponse, fn: () => T): T {
  return timingScope((scope) => {
    const writeHead = res.writeHead;
    // Node's implicit header write (first write/end) goes through writeHead too.
    res.writeHead = function writeHeadWithTiming(this: ServerResponse, ...args: unknown[]) {
      res.writeHead = writeHead;
      if (!this.headersSent) appendNodeHeader(this, serverTiming(scope.entries));
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse['writeHead'];
    return fn();
  });
}

/**
 * For the fetch API (Next.js route handlers, any `Request` → `Response` handler): runs `fn` in a
 * new timing scope and returns its response with the `Server-Timing` header of the timers that
 * stopped before `fn` settled. A response whose headers are immutable is copied.
 */
export function fetchWithServerTiming(fn: () => Response | Promise<Response>): Promise<Response> {
  return timingScope(async (scope) => {
    const response = await fn();
    return withServerTiming(response, serverTiming(scope.entries));
  });
}

function appendNodeHeader(res: ServerResponse, value: string): void {
  if (value === '') return;
  const existing = res.getHeader('server-timing');
  if (existing === undefined) res.setHeader('Server-Timing', value);
  else res.setHeader('Server-Timing', `${String(existing)}, ${value}`);
}

function withServerTiming(response: Response, value: string): Response {
  if (value === '') return response;
  try {
    response.headers.append('Server-Timing', value);
    return response;
  } catch {
    // Immutable headers (Response.redirect(), a fetch() result): copy the response.
    if (response.status < 200) return response;
    const headers = new Headers(response.headers);
    headers.append('Server-Timing', value);
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  }
}
