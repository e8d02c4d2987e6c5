import type { Registry } from '@vigil/core';

const ROUTES = ['/users/:id', '/orders', '/search'] as const;
const METHODS = ['GET', 'GET', 'GET', 'POST'] as const;

/**
 * A pretend HTTP service: requests arrive every few milliseconds with log-normal latencies and a
 * few errors, and a work queue grows and drains. It records what a real service would.
 */
export class SimulatedService {
  readonly #requests;
  readonly #latency;
  readonly #latencySummary;
  #queue = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(registry: Registry) {
    this.#requests = registry.counter({
      name: 'http_requests_total',
      help: 'HTTP requests served.',
      labelNames: ['method', 'route', 'status'],
    });
    this.#latency = registry.histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to serve an HTTP request.',
      labelNames: ['method', 'route'],
      unit: 'seconds',
    });
    this.#latencySummary = registry.summary({
      name: 'http_request_latency_seconds',
      help: 'Quantiles of HTTP request latency over the last minute.',
      quantiles: [0.5, 0.95, 0.99],
      maxAge: '1m',
      ageBuckets: 6,
    });
    registry.gauge({
      name: 'work_queue_depth',
      help: 'Jobs waiting in the work queue.',
      collect: (gauge) => gauge.set(this.#queue),
    });
  }

  get queueDepth(): number {
    return this.#queue;
  }

  start(): void {
    this.#timer = setInterval(() => this.#tick(), 5);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #tick(): void {
    for (let i = 0; i < 20; i++) {
      const route = ROUTES[Math.floor(Math.random() * ROUTES.length)] as string;
      const method = METHODS[Math.floor(Math.random() * METHODS.length)] as string;
      const seconds = Math.exp(-3.5 + 0.8 * gaussian());
      const status = Math.random() < 0.02 ? '500' : Math.random() < 0.05 ? '404' : '200';
      this.#requests.inc({ method, route, status });
      this.#latency.observe({ method, route }, seconds);
      this.#latencySummary.observe(seconds);
    }
    this.#queue = Math.max(0, this.#queue + Math.round(gaussian() * 3));
  }
}

function gaussian(): number {
  const u = 1 - Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}
