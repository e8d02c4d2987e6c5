import type { GaugeChild, HistogramChild } from '@vigil/core';

/** The bound children one (method, route, status, error type) records into. */
export interface SeriesSet {
  readonly duration: HistogramChild;
  readonly requestSize: HistogramChild | undefined;
  readonly responseSize: HistogramChild | undefined;
}

/**
 * The cache of bound children for one request method: routes, then status codes, then error
 * types, each a `Map`, filled on first use. A request after the first of its kind costs three
 * `Map` lookups and no string building.
 */
export class MethodSeries {
  /** Route (as the adapter gave it) → its series. Overflowing routes are not cached here. */
  readonly routes = new Map<unknown, RouteSeries>();
  /** The series of routes past `maxRoutes`, created on first use. */
  overflow: RouteSeries | undefined;

  constructor(
    /** The `http_request_method` label. */
    readonly label: string,
    /** This method's child of the active-requests gauge. */
    readonly active: GaugeChild,
  ) {}
}

/** The series of one route of one method, by status code. */
export class RouteSeries {
  /** Status code (0 when there is none) → its series. */
  readonly statuses = new Map<number, StatusSeries>();

  constructor(
    /** The `http_route` label. */
    readonly label: string,
  ) {}
}

/** The series of one status code of one route and method. */
export class StatusSeries {
  /** Error type → its series, for requests that name one. */
  readonly errors = new Map<string, SeriesSet>();
  /** The series of requests that name no error type (5xx: `error_type` is the status). */
  plain: SeriesSet | undefined;

  constructor(
    /** The `http_response_status_code` label. */
    readonly label: string,
  ) {}
}
