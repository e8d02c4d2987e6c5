import type { Registry } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalBoolean,
  optionalInteger,
  optionalRegistry,
  optionalString,
  required,
} from '@vigil/core/options';
import { KNOWN_HTTP_METHODS } from './http-method.js';
import { PathFilter, type PathPattern } from './path-filter.js';

/** The OpenTelemetry conventions' advised buckets for `http.server.request.duration`, in seconds. */
export const HTTP_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** Default buckets of the body-size histograms, in bytes: 64 B × 4ⁿ up to 16 MiB. */
export const HTTP_BODY_SIZE_BUCKETS: readonly number[] = Object.freeze([
  64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216,
]);

/**
 * Options of `new HttpMetrics()`. Every optional field also takes `undefined` (its default), so
 * options can be passed through from configuration.
 */
export interface HttpMetricsOptions {
  /** Where the request metrics are registered. */
  registry: Registry;
  /** Duration buckets in seconds; default `HTTP_DURATION_BUCKETS` (5 ms … 10 s). */
  buckets?: readonly number[] | undefined;
  /** `http_route` of requests that matched no route; default `''`, as the conventions say. */
  unmatchedRoute?: string | undefined;
  /** Paths not measured: a string excludes the path and below it; a RegExp is tested. */
  excludePaths?: readonly PathPattern[] | undefined;
  /** Also record request and response body sizes; default false. */
  bodySizes?: boolean | undefined;
  /** Body-size buckets in bytes; default `HTTP_BODY_SIZE_BUCKETS`. */
  bodySizeBuckets?: readonly number[] | undefined;
  /** Distinct `http_route` values kept; later routes are recorded as `_OTHER`. Default 500. */
  maxRoutes?: number | undefined;
  /** Methods recorded as themselves; others become `_OTHER`. Default `KNOWN_HTTP_METHODS`. */
  knownMethods?: readonly string[] | undefined;
  /** Series limit of each request metric; default the registry's `maxSeriesPerMetric`. */
  maxSeries?: number | undefined;
}

/** The names of `HttpMetricsOptions`, for adapters that split their options. */
export const HTTP_METRICS_OPTIONS = [
  'registry',
  'buckets',
  'unmatchedRoute',
  'excludePaths',
  'bodySizes',
  'bodySizeBuckets',
  'maxRoutes',
  'knownMethods',
  'maxSeries',
] as const satisfies readonly (keyof HttpMetricsOptions)[];

/** @internal The options checked, with defaults. */
export interface HttpMetricsConfig {
  readonly registry: Registry;
  readonly buckets: readonly number[];
  readonly unmatchedRoute: string;
  readonly filter: PathFilter;
  readonly bodySizes: boolean;
  readonly bodySizeBuckets: readonly number[];
  readonly maxRoutes: number;
  readonly knownMethods: readonly string[];
  /** `{ maxSeries }` to spread into each metric's options, or `{}`. */
  readonly limit: { maxSeries?: number };
}

const OWNER = 'HttpMetrics';
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * @internal Checks the options once, at construction, with core's option checks (buckets are
 * checked by the registry).
 *
 * @throws ConfigurationError `INVALID_OPTION` naming the field and the bad value.
 */
export function httpMetricsConfig(options: HttpMetricsOptions): HttpMetricsConfig {
  const given = checkOptionsObject(OWNER, options, HTTP_METRICS_OPTIONS, { required: true });
  const registry = required(
    OWNER,
    'registry',
    optionalRegistry<Registry>(OWNER, 'registry', given.registry),
    'a Registry from @vigil/core, such as new Registry()',
  );
  const knownMethods = given.knownMethods ?? KNOWN_HTTP_METHODS;
  if (
    !Array.isArray(knownMethods) ||
    knownMethods.some((m) => typeof m !== 'string' || !TOKEN.test(m))
  ) {
    throw invalidOption(
      OWNER,
      `knownMethods should be an array of method names such as 'GET', got ${describeValue(knownMethods)}`,
    );
  }
  const maxSeries = optionalInteger(OWNER, 'maxSeries', given.maxSeries, { min: 1 });
  return {
    registry,
    buckets: (given.buckets as readonly number[] | undefined) ?? HTTP_DURATION_BUCKETS,
    unmatchedRoute:
      optionalString(OWNER, 'unmatchedRoute', given.unmatchedRoute, { allowEmpty: true }) ?? '',
    filter: new PathFilter(OWNER, (given.excludePaths as readonly PathPattern[] | undefined) ?? []),
    bodySizes: optionalBoolean(OWNER, 'bodySizes', given.bodySizes) ?? false,
    bodySizeBuckets:
      (given.bodySizeBuckets as readonly number[] | undefined) ?? HTTP_BODY_SIZE_BUCKETS,
    maxRoutes: optionalInteger(OWNER, 'maxRoutes', given.maxRoutes, { min: 1 }) ?? 500,
    knownMethods,
    limit: maxSeries === undefined ? {} : { maxSeries },
  };
}
