import type { OnError, Registry } from '@vigil/core';
import {
  createMonitoringRouter,
  HttpError,
  type MonitoringRouter,
  type OpenMetricsMode,
  splitTarget,
} from '@vigil/http';
import type { HealthMonitor } from './health-monitor.js';

/** @internal What a route handler of `metricsRoute()` / `healthRoute()` serves. */
export interface EndpointConfig {
  /** The router path it answers: `/metrics`, `/health`, `/health/live` … */
  readonly path: string;
  /** The registry and monitor, resolved per request (the process-wide ones may change). */
  readonly resolve: () => { registry: Registry; health: HealthMonitor | undefined };
  readonly token: string | undefined;
  readonly healthOutputs: boolean | undefined;
  readonly onError: OnError | undefined;
  readonly openMetrics?: OpenMetricsMode | undefined;
  /** Answered as 404 `HTTP_NOT_FOUND` (after the token check) while there is no monitor. */
  readonly noHealth?: string;
}

const ORIGIN = 'http://vigil.internal';
const NO_HEALTH = '/next/no-health';

/**
 * @internal Serves one route of `@vigil/http`'s monitoring router from a Next.js route handler,
 * wherever its file sits under `app/`: the request is re-addressed to the router's path, with its
 * method, query and headers (but `Accept-Encoding`: compression is Next's job). The router is built at construction, which checks the options, and
 * again when the process-wide registry or monitor it answers from changes.
 */
export class MonitoringEndpoint {
  readonly #config: EndpointConfig;
  #router: MonitoringRouter;
  #registry: Registry;
  #health: HealthMonitor | undefined;

  constructor(
    config: EndpointConfig,
    initial: { registry: Registry; health: HealthMonitor | undefined },
  ) {
    this.#config = config;
    this.#registry = initial.registry;
    this.#health = initial.health;
    this.#router = this.#build();
  }

  async serve(request: Request): Promise<Response> {
    const { registry, health } = this.#config.resolve();
    if (registry !== this.#registry || health !== this.#health) {
      this.#registry = registry;
      this.#health = health;
      this.#router = this.#build();
    }
    const { search } = splitTarget(request.url);
    const { noHealth } = this.#config;
    const path = noHealth !== undefined && health === undefined ? NO_HEALTH : this.#config.path;
    // Next.js compresses responses itself (`compress`, on by default) and drops a handler's
    // Content-Encoding: a body the router gzipped would reach the client gzipped twice.
    const headers = new Headers(request.headers);
    headers.delete('accept-encoding');
    const inner = new Request(`${ORIGIN}${path}${search}`, { method: request.method, headers });
    // The router serves every path this endpoint forwards, so it always answers.
    return (await this.#router.fetch(inner)) as Response;
  }

  #build(): MonitoringRouter {
    const { token, healthOutputs, onError, noHealth, openMetrics } = this.#config;
    const router = createMonitoringRouter({
      registry: this.#registry,
      health: this.#health,
      token,
      protectReadEndpoints: token !== undefined,
      healthOutputs,
      openMetrics,
      onError,
    });
    if (noHealth !== undefined) {
      router.route('GET', NO_HEALTH, () => {
        throw new HttpError('HTTP_NOT_FOUND', noHealth);
      });
    }
    return router;
  }
}
