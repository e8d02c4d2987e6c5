import { describeValue } from '@vigil/core/options';
import type { DeadLetterFilter, DeadLetterPageRequest } from './dead-letter-queue.js';

/**
 * @internal A request the jobs routes refuse: answered `status` with `{ code, message }`, the
 * body `@vigil/http` answers its own errors with.
 */
export class RouteRefusal extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'RouteRefusal';
    this.status = status;
    this.code = code;
  }
}

const FILTER_KEYS = ['type', 'from', 'to'] as const;
const PAGE_KEYS = ['type', 'from', 'to', 'limit', 'cursor'] as const;
const DIGITS = /^\d+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

function badRequest(message: string): RouteRefusal {
  return new RouteRefusal(400, 'HTTP_BAD_REQUEST', message);
}

/**
 * @internal The query of `GET /jobs/dead-letters`: a filter and a page. Unknown or repeated
 * parameters are refused rather than ignored.
 *
 * @throws RouteRefusal 400 for a bad value.
 */
export function pageQuery(query: URLSearchParams): {
  filter: DeadLetterFilter;
  page: DeadLetterPageRequest;
} {
  const values = single(query, PAGE_KEYS);
  const page: DeadLetterPageRequest = {};
  const limit = values.get('limit');
  if (limit !== undefined) {
    const n = DIGITS.test(limit) ? Number(limit) : Number.NaN;
    if (!(n >= 1 && n <= 10_000)) {
      throw badRequest(`limit should be an integer from 1 to 10000, got ${JSON.stringify(limit)}`);
    }
    page.limit = n;
  }
  const cursor = values.get('cursor');
  if (cursor !== undefined) {
    if (cursor === '') throw badRequest('cursor should be the cursor of the previous page');
    page.cursor = cursor;
  }
  return { filter: filterOf(values, 'query parameter'), page };
}

/**
 * @internal The query of `DELETE /jobs/dead-letters`: a filter (`type`, `from`, `to`).
 *
 * @throws RouteRefusal 400 for an unknown parameter (a misspelt filter must not purge
 *   everything) or a bad value.
 */
export function filterQuery(query: URLSearchParams): DeadLetterFilter {
  return filterOf(single(query, FILTER_KEYS), 'query parameter');
}

/**
 * @internal The JSON body of `POST /jobs/dead-letters/replay`: none, `null`, or an object with
 * `type`, `from`, `to` (times in ms since the epoch or ISO 8601 dates).
 *
 * @throws RouteRefusal 400 for anything else.
 */
export function filterBody(body: unknown, query: URLSearchParams): DeadLetterFilter {
  const first = query.keys().next();
  if (first.done !== true) {
    throw badRequest(
      `give the filter in the JSON body ({ "type", "from", "to" }), not as query parameter '${first.value}'`,
    );
  }
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(
      `the body should be a filter object such as {"type":"email"}, got ${describeValue(body)}`,
    );
  }
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(body)) {
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      throw badRequest(`unknown filter field '${key}'; the fields are ${FILTER_KEYS.join(', ')}`);
    }
    if (value === undefined || value === null) continue;
    const time = key !== 'type' && typeof value === 'number' && Number.isSafeInteger(value);
    if (typeof value !== 'string' && !(time && (value as number) >= 0)) {
      throw badRequest(`${key} should be ${expected(key)}, got ${describeValue(value)}`);
    }
    values.set(key, String(value));
  }
  return filterOf(values, 'field');
}

/** The parameters in `known`, each once; any other refused. */
function single(query: URLSearchParams, known: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const [key, value] of query) {
    if (!known.includes(key)) {
      throw badRequest(`unknown query parameter '${key}'; the parameters are ${known.join(', ')}`);
    }
    if (values.has(key)) throw badRequest(`query parameter '${key}' should be given once`);
    values.set(key, value);
  }
  return values;
}

function filterOf(values: ReadonlyMap<string, string>, what: string): DeadLetterFilter {
  const filter: DeadLetterFilter = {};
  const type = values.get('type');
  if (type !== undefined) {
    if (type === '') throw badRequest(`${what} type should be a job type, got an empty string`);
    filter.type = type;
  }
  const from = timeOf('from', values.get('from'), what);
  if (from !== undefined) filter.from = from;
  const to = timeOf('to', values.get('to'), what);
  if (to !== undefined) filter.to = to;
  if (from !== undefined && to !== undefined && from > to) {
    throw badRequest(`from (${from}) should not be after to (${to})`);
  }
  return filter;
}

function timeOf(field: string, value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = DIGITS.test(value) ? Number(value) : ISO_DATE.test(value) ? Date.parse(value) : NaN;
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw badRequest(`${what} ${field} should be ${expected(field)}, got ${JSON.stringify(value)}`);
  }
  return ms;
}

function expected(field: string): string {
  return field === 'type'
    ? 'a job type'
    : 'a time: ms since the epoch, or an ISO 8601 date such as 2026-01-31T12:00:00Z';
}
