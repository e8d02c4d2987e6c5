import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OnError } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalChoice,
  optionalInteger,
  optionalOnError,
  optionalString,
  required,
} from '@vigil/core/options';
import {
  createMonitoringRouter,
  type MetricsEndpointSource,
  type OpenMetricsMode,
} from '@vigil/http';

/**
 * Options of `serveMetrics(options)`. Every optional field also takes `undefined` (its default),
 * so options can be passed through from configuration.
 */
export interface ServeMetricsOptions {
  /** What `GET /metrics` serves: a `Registry`, or a cluster aggregator. */
  registry: MetricsEndpointSource;
  /** The port; `0` (default) picks a free one (read it from `server.port`). */
  port?: number | undefined;
  /**
   * The address to listen on. Default `'127.0.0.1'`: only this machine can scrape. Give
   * `'0.0.0.0'` or `'::'` to let a Prometheus elsewhere in; then consider a `token`.
   */
  host?: string | undefined;
  /** Bearer token Prometheus must send (`authorization.credentials` in its scrape config). */
  token?: string | undefined;
  /** When `/metrics` answers OpenMetrics; see `@vigil/http`. Default `'query'`. */
  openMetrics?: OpenMetricsMode | undefined;
  /** Called with what rendering threw (the scrape is answered 500). Default: a warning. */
  onError?: OnError | undefined;
}

/** A running scrape server. */
export interface MetricsServer {
  /** `http://host:port/metrics`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  /** Stops listening and ends idle connections; resolves once closed. */
  close(): Promise<void>;
}

const OWNER = 'serveMetrics';
const OPTIONS = [
  'registry',
  'port',
  'host',
  'token',
  'openMetrics',
  'onError',
] as const satisfies readonly (keyof ServeMetricsOptions)[];

/**
 * Serves `GET /metrics` (and nothing else: 404) on its own HTTP server, for a process with no
 * web framework: a worker, a job process, a cluster primary. It is `@vigil/http`'s monitoring
 * router, so negotiation, gzip and the token work as on an Express or Fastify app.
 *
 * @throws ConfigurationError `INVALID_OPTION` for bad options; the listen error (such as
 *   `EADDRINUSE`) as Node gives it.
 */
export async function serveMetrics(options: ServeMetricsOptions): Promise<MetricsServer> {
  const given = checkOptionsObject(OWNER, options, OPTIONS, { required: true });
  const registry = given.registry;
  if (!hasMethods(registry, ['metrics'])) {
    throw invalidOption(
      OWNER,
      `registry should be a Registry from @vigil/core (or a cluster aggregator), got ${describeValue(registry)}`,
    );
  }
  const port = optionalInteger(OWNER, 'port', given.port, { min: 0, max: 65_535 }) ?? 0;
  const host = required(OWNER, 'host', optionalString(OWNER, 'host', given.host) ?? '127.0.0.1');
  const router = createMonitoringRouter({
    registry: registry as MetricsEndpointSource,
    token: given.token as string | undefined, // the router checks it
    protectReadEndpoints: given.token !== undefined,
    openMetrics: optionalChoice(OWNER, 'openMetrics', given.openMetrics, ['query', 'negotiate']),
    onError: optionalOnError(OWNER, 'onError', given.onError),
  });
  let closing = false;
  const server = createServer((req, res) => {
    // A keep-alive connection would hold close() up until its timeout: once closing, each
    // connection ends with the response it serves.
    res.on('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    if (closing) res.setHeader('connection', 'close');
    void router.handle(req, res).then((handled) => {
      if (handled) return;
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('Not found: this server serves GET /metrics\n');
    });
  });
  await listen(server, port, host);
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/metrics`,
    port: address.port,
    host: address.address,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true;
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeIdleConnections();
      }),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
