import { HttpError } from './errors.js';
import type { RouteParams } from './route-table.js';

/** What a route handler gets: the request, framework-neutral. */
export interface RouteRequest {
  /** The request method (`HEAD` requests reach `GET` handlers with method `HEAD`). */
  readonly method: string;
  /** The path below the router's prefix (`/alerts/42/ack`), not decoded. */
  readonly path: string;
  /** The route's `:name` parameters, percent-decoded. */
  readonly params: RouteParams;
  /** The query string's parameters. */
  readonly query: URLSearchParams;
  /** A request header (case-insensitive name); several values are joined with `, `. */
  header(name: string): string | undefined;
  /**
   * The body parsed as JSON; undefined when there is none. A body a framework parsed already
   * (Express's `req.body` after `express.json()`) is used as is.
   *
   * @throws HttpError `HTTP_UNSUPPORTED_MEDIA_TYPE` unless the content type is JSON,
   *   `HTTP_INVALID_JSON`, `HTTP_PAYLOAD_TOO_LARGE` past the router's `maxBodyBytes`.
   */
  json(): Promise<unknown>;
}

/** @internal What `node:http` and fetch requests provide to a `RouteRequest`. */
export interface RequestSource {
  readonly method: string;
  /** Lower-case `name`. */
  header(name: string): string | undefined;
  /** A body the framework parsed already, or undefined. */
  parsedBody(): { value: unknown } | undefined;
  /** The raw body, at most `limit` bytes (else `HTTP_PAYLOAD_TOO_LARGE`). */
  readBody(limit: number): Promise<Uint8Array>;
}

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i;

/** @internal The one `RouteRequest` implementation, over a `RequestSource`. */
export class SourceRouteRequest implements RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly params: RouteParams;
  readonly #search: string;
  readonly #source: RequestSource;
  readonly #maxBodyBytes: number;
  #query: URLSearchParams | undefined;
  #json: Promise<unknown> | undefined;

  constructor(
    source: RequestSource,
    path: string,
    search: string,
    params: RouteParams,
    maxBodyBytes: number,
  ) {
    this.method = source.method;
    this.path = path;
    this.params = params;
    this.#search = search;
    this.#source = source;
    this.#maxBodyBytes = maxBodyBytes;
  }

  get query(): URLSearchParams {
    this.#query ??= new URLSearchParams(this.#search);
    return this.#query;
  }

  header(name: string): string | undefined {
    return this.#source.header(name.toLowerCase());
  }

  json(): Promise<unknown> {
    this.#json ??= this.#readJson();
    return this.#json;
  }

  async #readJson(): Promise<unknown> {
    const parsed = this.#source.parsedBody();
    if (parsed !== undefined) return parsed.value;
    const length = Number(this.header('content-length') ?? 0);
    if (length > this.#maxBodyBytes) throw tooLarge(this.#maxBodyBytes);
    const bytes = await this.#source.readBody(this.#maxBodyBytes);
    if (bytes.length === 0) return undefined;
    const type = this.header('content-type') ?? '';
    if (!JSON_TYPE.test(type)) {
      throw new HttpError(
        'HTTP_UNSUPPORTED_MEDIA_TYPE',
        `the body should be JSON with Content-Type: application/json, got ${type === '' ? 'no Content-Type' : JSON.stringify(type)}`,
      );
    }
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new HttpError('HTTP_INVALID_JSON', `the body is not valid JSON: ${messageOf(error)}`);
    }
  }
}

/** The error for a body past `limit` bytes. */
export function tooLarge(limit: number): HttpError {
  return new HttpError(
    'HTTP_PAYLOAD_TOO_LARGE',
    `the body is larger than ${limit} bytes, the router's maxBodyBytes`,
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
