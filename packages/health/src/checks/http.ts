import type { DurationInput } from '@vigil/core';
import {
  describeValue,
  invalidOption,
  optionalChoice,
  optionalDuration,
} from '@vigil/core/options';
import type { CheckOptions, CheckOutcome, HealthCheck } from '../health-check.js';
import { builtInCheck } from './built-in-check.js';
import { timed } from './response-time.js';

/** Which response statuses pass: one, a list, or a predicate. */
export type ExpectStatus = number | readonly number[] | ((status: number) => boolean);

/** Options of `checks.http()`. */
export interface HttpCheckOptions extends CheckOptions {
  /** The statuses that pass. Default: any 2xx. */
  expectStatus?: ExpectStatus | undefined;
  /** `'GET'` (default) or `'HEAD'`. */
  method?: 'GET' | 'HEAD' | undefined;
  /** Request headers, such as an `authorization`. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Warn when the response takes longer than this. Default: never. */
  warnAfter?: DurationInput | undefined;
}

const OWNER = 'checks.http';

/**
 * An HTTP dependency: `GET url` (with the check's signal, so the timeout aborts the request)
 * and an expected status; the body is discarded. Critical by default; named after the URL's
 * host and keyed `<host>:responseTime`, observed in `ms`.
 */
export function http(url: string | URL, options: HttpCheckOptions = {}): HealthCheck {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw invalidOption(
      OWNER,
      `url should be an absolute http(s) URL, got ${describeValue(String(url))}`,
    );
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw invalidOption(OWNER, `url should use http: or https:, got ${describeValue(target.href)}`);
  }
  const accepts = expectation(options.expectStatus);
  const method = optionalChoice(OWNER, 'method', options.method, ['GET', 'HEAD']) ?? 'GET';
  const headers = checkHeaders(options.headers) ?? {};
  const warnAfter = optionalDuration(OWNER, 'warnAfter', options.warnAfter) ?? Infinity;
  const href = target.href;
  const run = async (signal: AbortSignal): Promise<CheckOutcome> => {
    const start = performance.now();
    const response = await fetch(href, { method, headers, signal });
    // Frees the connection; the body is not needed.
    await response.body?.cancel().catch(() => {});
    if (!accepts(response.status)) {
      return {
        status: 'fail',
        details: { statusCode: response.status },
        output: `${method} ${href} answered ${response.status}, expected ${describeExpectation(options.expectStatus)}`,
      };
    }
    const outcome = timed(start, warnAfter, { statusCode: response.status });
    return outcome;
  };
  return builtInCheck(
    OWNER,
    options,
    ['expectStatus', 'method', 'headers', 'warnAfter'],
    {
      name: target.host,
      measurement: 'responseTime',
      componentType: 'component',
      critical: true,
      quick: false,
    },
    { run },
  );
}

function expectation(expect: unknown): (status: number) => boolean {
  if (expect === undefined) return (status) => status >= 200 && status < 300;
  if (typeof expect === 'function') return (status) => expect(status) === true;
  const list = Array.isArray(expect) ? (expect as unknown[]) : [expect];
  if (
    list.length === 0 ||
    !list.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 100 && s <= 599)
  ) {
    throw invalidOption(
      OWNER,
      `expectStatus should be a status code (100–599), a list of them or a function, got ${describeValue(expect)}`,
    );
  }
  const allowed = new Set(list as number[]);
  return (status) => allowed.has(status);
}

function describeExpectation(expect: ExpectStatus | undefined): string {
  if (expect === undefined) return '2xx';
  if (typeof expect === 'function') return 'a status expectStatus accepts';
  return Array.isArray(expect) ? (expect as number[]).join(' or ') : String(expect);
}

function checkHeaders(headers: unknown): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  if (
    typeof headers !== 'object' ||
    headers === null ||
    Array.isArray(headers) ||
    !Object.values(headers).every((value) => typeof value === 'string')
  ) {
    throw invalidOption(
      OWNER,
      `headers should be an object of strings, got ${describeValue(headers)}`,
    );
  }
  return { ...(headers as Record<string, string>) };
}
