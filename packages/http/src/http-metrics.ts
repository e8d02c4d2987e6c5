import type { Gauge, Histogram } from '@vigil/core';
import { OTHER_METHOD as OTHER } from './http-method.js';
import { type HttpMetricsOptions, httpMetricsConfig } from './http-metrics-options.js';
import type { PathFilter } from './path-filter.js';
import { MethodSeries, RouteSeries, type SeriesSet, StatusSeries } from './request-series.js';
import { RequestTiming } from './request-timing.js';

/** The `http_route` of routes past `maxRoutes`. */
export const OTHER_ROUTE = '_OTHER';

/** Error types past this many distinct values are recorded as `_OTHER`. */
const MAX_ERROR_TYPES = 100;

const LABELS = [
  'http_request_method',
  'http_route',
  'http_response_status_code',
  'error_type',
] as const;
type RequestLabel = (typeof LABELS)[number];

/**
 * HTTP server request metrics per the OpenTelemetry HTTP semantic conventions, for adapters to
 * call around each request: `start(method, url)` when it arrives, `end(timing, route, status)`
 * when the response is done. Children are bound on first use and cached by method, route and
 * status, so a request costs two `performance.now()` calls, a few `Map` lookups and two field
 * updates.
 */
export class HttpMetrics {
  /** `http_server_request_duration_seconds`. */
  readonly duration: Histogram<RequestLabel>;
  /** `http_server_active_requests`, by `http_request_method`. */
  readonly active: Gauge<'http_request_method'>;
  /** `http_server_request_body_size_bytes`, when `bodySizes` is on. */
  readonly requestSize: Histogram<RequestLabel> | undefined;
  /** `http_server_response_body_size_bytes`, when `bodySizes` is on. */
  readonly responseSize: Histogram<RequestLabel> | undefined;
  /** The `http_route` of requests that matched no route. */
  readonly unmatchedRoute: string;
  readonly #filter: PathFilter;
  readonly #methods = new Map<string, MethodSeries>();
  readonly #other: MethodSeries;
  readonly #maxRoutes: number;
  readonly #routes = new Set<string>();
  readonly #errorTypes = new Set<string>();

  constructor(options: HttpMetricsOptions) {
    const config = httpMetricsConfig(options);
    const { registry, limit } = config;
    this.unmatchedRoute = config.unmatchedRoute;
    this.#filter = config.filter;
    this.#maxRoutes = config.maxRoutes;
    this.duration = registry.histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP server requests.',
      unit: 'seconds',
      labelNames: LABELS,
      buckets: config.buckets,
      ...limit,
    });
    this.active = registry.gauge({
      name: 'http_server_active_requests',
      help: 'Number of active HTTP server requests.',
      labelNames: ['http_request_method'],
      ...limit,
    });
    this.requestSize = config.bodySizes
      ? registry.histogram({
          name: 'http_server_request_body_size_bytes',
          help: 'Size of HTTP server request bodies.',
          unit: 'bytes',
          labelNames: LABELS,
          buckets: config.bodySizeBuckets,
          ...limit,
        })
      : undefined;
    this.responseSize = config.bodySizes
      ? registry.histogram({
          name: 'http_server_response_body_size_bytes',
          help: 'Size of HTTP server response bodies.',
          unit: 'bytes',
          labelNames: LABELS,
          buckets: config.bodySizeBuckets,
          ...limit,
        })
      : undefined;
    for (const method of config.knownMethods) {
      this.#methods.set(method, this.#methodSeries(method));
    }
    this.#other = this.#methodSeries(OTHER);
  }

  /** Whether `url` (path with or without query) is excluded by `excludePaths`. */
  excludes(url: string): boolean {
    return this.#filter.excludes(url);
  }

  /**
   * Starts measuring a request: counts it as active and reads the clock. Returns undefined when
   * `url` is given and excluded (pass that undefined to `end()`, which then does nothing).
   */
  start(method: string, url?: string): RequestTiming | undefined {
    if (url !== undefined && !this.#filter.empty && this.#filter.excludes(url)) return undefined;
    const series = this.#methods.get(method) ?? this.#other;
    series.active.inc();
    return new RequestTiming(series, performance.now());
  }

  /**
   * Records a request started with `start()`: its duration under `route` (the framework's route
   * template, `/users/:id`; undefined for no route, recorded as `unmatchedRoute`) and
   * `statusCode` (undefined or 0 when no response was sent). `errorType` names a failure (an
   * exception's class); a 5xx without one records its status code as `error_type`. Body sizes
   * are recorded when `bodySizes` is on and they are given. Returns the seconds recorded, or -1
   * when `timing` is undefined or already ended.
   */
  end(
    timing: RequestTiming | undefined,
    route: string | undefined,
    statusCode: number | undefined,
    errorType?: string,
    requestBytes?: number,
    responseBytes?: number,
  ): number {
    if (timing === undefined || timing.done) return -1;
    const seconds = (performance.now() - timing.startTime) / 1000;
    timing.done = true;
    const method = timing.series;
    method.active.dec();
    const routeSeries = method.routes.get(route) ?? this.#route(method, route);
    const code = statusCode ?? 0;
    const status = routeSeries.statuses.get(code) ?? this.#status(routeSeries, code);
    const set =
      errorType === undefined || errorType === ''
        ? (status.plain ?? this.#plain(method, routeSeries, status))
        : (status.errors.get(errorType) ??
          this.#errorSeries(method, routeSeries, status, errorType));
    set.duration.observe(seconds);
    if (set.requestSize !== undefined && requestBytes !== undefined && requestBytes >= 0) {
      set.requestSize.observe(requestBytes);
    }
    if (set.responseSize !== undefined && responseBytes !== undefined && responseBytes >= 0) {
      set.responseSize.observe(responseBytes);
    }
    return seconds;
  }

  #methodSeries(label: string): MethodSeries {
    return new MethodSeries(label, this.active.labels({ http_request_method: label }));
  }

  #route(method: MethodSeries, route: unknown): RouteSeries {
    const label =
      route === undefined || route === null
        ? this.unmatchedRoute
        : typeof route === 'string'
          ? route
          : String(route);
    if (!this.#routes.has(label)) {
      if (this.#routes.size >= this.#maxRoutes) {
        method.overflow ??= new RouteSeries(OTHER_ROUTE);
        return method.overflow;
      }
      this.#routes.add(label);
    }
    const series = new RouteSeries(label);
    method.routes.set(route, series);
    return series;
  }

  #status(route: RouteSeries, code: number): StatusSeries {
    const label = Number.isInteger(code) && code >= 100 && code <= 999 ? String(code) : '';
    const key = label === '' ? 0 : code;
    const existing = route.statuses.get(key);
    if (existing !== undefined) return existing;
    const series = new StatusSeries(label);
    route.statuses.set(key, series);
    return series;
  }

  #plain(method: MethodSeries, route: RouteSeries, status: StatusSeries): SeriesSet {
    // The conventions: a 5xx is a server error, and its error type is the status code.
    const code = Number(status.label);
    const errorType = code >= 500 && code <= 599 ? status.label : '';
    status.plain = this.#bind(method.label, route.label, status.label, errorType);
    return status.plain;
  }

  #errorSeries(
    method: MethodSeries,
    route: RouteSeries,
    status: StatusSeries,
    errorType: string,
  ): SeriesSet {
    let label = typeof errorType === 'string' ? errorType : String(errorType);
    if (!this.#errorTypes.has(label)) {
      if (this.#errorTypes.size >= MAX_ERROR_TYPES) label = OTHER;
      else this.#errorTypes.add(label);
    }
    // Past the limit, every new error type shares the `_OTHER` entry (never cached by its name).
    const existing = status.errors.get(label);
    if (existing !== undefined) return existing;
    const set = this.#bind(method.label, route.label, status.label, label);
    status.errors.set(label, set);
    return set;
  }

  #bind(method: string, route: string, status: string, errorType: string): SeriesSet {
    const labels = {
      http_request_method: method,
      http_route: route,
      http_response_status_code: status,
      error_type: errorType,
    };
    return {
      duration: this.duration.labels(labels),
      requestSize: this.requestSize?.labels(labels),
      responseSize: this.responseSize?.labels(labels),
    };
  }
}
