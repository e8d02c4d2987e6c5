import { ConfigurationError, type Registry } from '@vigil/core';
import type { HealthMonitor } from '@vigil/health';
import { BearerAuth } from './bearer-auth.js';
import { describeValue } from './errors.js';
import { isRegistry } from './is-registry.js';
import {
  checkBoolean,
  checkPositiveInteger,
  rejectUnknownOptions,
} from './reject-unknown-options.js';
import type { RouteRequest } from './route-request.js';

/** Options of `createMonitoringRouter()`. */
export interface MonitoringRouterOptions {
  /** The registry `GET /metrics` exposes. */
  registry: Registry;
  /** The health monitor behind `/health…`; without one those paths answer 404. */
  health?: HealthMonitor | undefined;
  /** Path the routes are mounted under, e.g. `'/_vigil'`; default `''`. */
  prefix?: string | undefined;
  /** Bearer token; without one, routes that change state are off (403). */
  token?: string | undefined;
  /** Require the token on the read-only routes too (needs `token`); default false. */
  protectReadEndpoints?: boolean | undefined;
  /**
   * Include the checks' `output` and `details` in health responses (error messages can name
   * hosts and ports); default true. Turn it off on an endpoint the public can reach.
   */
  healthOutputs?: boolean | undefined;
  /** Largest request body a route reads, in bytes; default 102,400. */
  maxBodyBytes?: number | undefined;
  /** Called with an error a handler threw (answered 500); default: one warning per route. */
  onError?: ((error: unknown, request: RouteRequest) => void) | undefined;
}

/** @internal The options checked, with defaults. */
export interface RouterConfig {
  readonly prefix: string;
  readonly auth: BearerAuth | undefined;
  readonly protectReads: boolean;
  readonly healthOutputs: boolean;
  readonly maxBodyBytes: number;
  readonly onError: ((error: unknown, request: RouteRequest) => void) | undefined;
}

const OWNER = 'createMonitoringRouter';
const OPTIONS = [
  'registry',
  'health',
  'prefix',
  'token',
  'protectReadEndpoints',
  'healthOutputs',
  'maxBodyBytes',
  'onError',
];

/**
 * @internal Checks the router's options once, at construction.
 *
 * @throws ConfigurationError `INVALID_OPTION` naming the field and the bad value.
 */
export function routerConfig(options: MonitoringRouterOptions): RouterConfig {
  rejectUnknownOptions(OWNER, options, OPTIONS);
  if (!isRegistry(options.registry)) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${OWNER}: registry should be a Registry from @vigil/core, got ${describeValue(options.registry)}`,
    );
  }
  const auth = options.token === undefined ? undefined : new BearerAuth(OWNER, options.token);
  const protectReads =
    checkBoolean(OWNER, 'protectReadEndpoints', options.protectReadEndpoints) ?? false;
  if (protectReads && auth === undefined) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${OWNER}: protectReadEndpoints needs a token; set token (e.g. from an environment variable) or drop protectReadEndpoints`,
    );
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${OWNER}: onError should be a function, got ${describeValue(options.onError)}`,
    );
  }
  return {
    prefix: checkPrefix(options.prefix ?? ''),
    auth,
    protectReads,
    healthOutputs: checkBoolean(OWNER, 'healthOutputs', options.healthOutputs) ?? true,
    maxBodyBytes: checkPositiveInteger(OWNER, 'maxBodyBytes', options.maxBodyBytes) ?? 102_400,
    onError: options.onError,
  };
}

function checkPrefix(prefix: unknown): string {
  if (prefix === '' || prefix === '/') return '';
  if (
    typeof prefix !== 'string' ||
    !prefix.startsWith('/') ||
    prefix.includes('?') ||
    prefix.includes('#') ||
    prefix.includes('//')
  ) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `${OWNER}: prefix should be '' or a path such as '/_vigil', got ${describeValue(prefix)}`,
    );
  }
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}
