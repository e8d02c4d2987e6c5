import { DeliveryError } from '../../errors.js';
import type { Labels } from '../../promql/labels.js';
import {
  type AlertmanagerClientOptions,
  type ClientConfig,
  clientConfig,
} from './alertmanager-options.js';

/*
 * The shapes of Alertmanager's API v2 (`api/v2/openapi.yaml`), as it sends and takes them: times
 * as RFC 3339 strings.
 */

/** An alert as `POST /api/v2/alerts` takes it. */
export interface PostableAlert {
  /** What identifies the alert; at least one, usually `alertname`. */
  readonly labels: Labels;
  readonly annotations?: Labels | undefined;
  /** When it started; Alertmanager takes the time it gets it when left out. */
  readonly startsAt?: string | undefined;
  /**
   * When it ends: in the future for a firing alert (Alertmanager resolves it then unless it is
   * sent again), in the past for a resolved one. Left out: `resolve_timeout` from now.
   */
  readonly endsAt?: string | undefined;
  readonly generatorURL?: string | undefined;
}

/** An alert as `GET /api/v2/alerts` answers it. */
export interface GettableAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly updatedAt: string;
  readonly generatorURL?: string;
  readonly fingerprint: string;
  readonly receivers: readonly { readonly name: string }[];
  readonly status: {
    /** `suppressed`: silenced or inhibited; `unprocessed`: not routed yet. */
    readonly state: 'unprocessed' | 'active' | 'suppressed';
    /** The ids of the silences that mute it. */
    readonly silencedBy: readonly string[];
    /** The fingerprints of the alerts that inhibit it. */
    readonly inhibitedBy: readonly string[];
  };
}

/** Which alerts `getAlerts` answers; every state is included unless set to `false`. */
export interface AlertFilter {
  readonly active?: boolean | undefined;
  readonly silenced?: boolean | undefined;
  readonly inhibited?: boolean | undefined;
  readonly unprocessed?: boolean | undefined;
  /** Matchers every alert must match, in Alertmanager's syntax: `'alertname="QueueBacklog"'`. */
  readonly filter?: readonly string[] | undefined;
  /** A regular expression the alert's receiver must match. */
  readonly receiver?: string | undefined;
}

/** A label matcher of a silence. */
export interface SilenceMatcher {
  readonly name: string;
  readonly value: string;
  /** `value` is a regular expression (anchored). Default `false`. */
  readonly isRegex?: boolean | undefined;
  /** `false` for `!=` and `!~`. Default `true`. */
  readonly isEqual?: boolean | undefined;
}

/** A silence to create, or to update with its `id`. */
export interface PostableSilence {
  readonly id?: string | undefined;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: string | Date;
  readonly endsAt: string | Date;
  readonly createdBy: string;
  readonly comment: string;
}

/** A silence as `GET /api/v2/silences` answers it. */
export interface GettableSilence {
  readonly id: string;
  readonly matchers: readonly Required<SilenceMatcher>[];
  readonly startsAt: string;
  readonly endsAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  readonly comment: string;
  readonly status: { readonly state: 'expired' | 'active' | 'pending' };
}

/** `GET /api/v2/status`. */
export interface AlertmanagerStatus {
  readonly cluster: {
    readonly status: 'ready' | 'settling' | 'disabled';
    readonly name?: string;
    readonly peers?: readonly { readonly name: string; readonly address: string }[];
  };
  readonly versionInfo: { readonly version: string; readonly revision: string } & Readonly<
    Record<string, string>
  >;
  /** The configuration it runs, as YAML. */
  readonly config: { readonly original: string };
  readonly uptime: string;
}

/** The longest part of an error answer a `DeliveryError` message quotes. */
const MAX_QUOTED = 300;

/**
 * A client of Alertmanager's API v2: alerts in and out, silences, status. Every request has the
 * `timeout`; a failure throws a `DeliveryError` that says whether trying again may help (a
 * refused connection, a timeout, a 5xx, a 429) or not (another 4xx, such as an invalid alert).
 *
 * ```ts
 * const am = new AlertmanagerClient({ url: 'http://127.0.0.1:9093' });
 * await am.postAlerts([{ labels: { alertname: 'Test' }, annotations: { summary: 'hi' } }]);
 * ```
 */
export class AlertmanagerClient {
  readonly #config: ClientConfig;
  /** The base URL: origin and route prefix, never credentials. */
  readonly url: string;

  /** @throws ConfigurationError (`INVALID_OPTION`, `INVALID_DURATION`) for a bad option. */
  constructor(options: AlertmanagerClientOptions) {
    this.#config = clientConfig(options);
    const { origin, pathname } = this.#config.url;
    this.url = `${origin}${pathname.replace(/\/+$/, '')}`;
  }

  /** Sends alerts: new ones, again to keep them firing, or with `endsAt` past to resolve them. */
  async postAlerts(alerts: readonly PostableAlert[]): Promise<void> {
    await this.#request('POST', '/alerts', alerts);
  }

  /** The alerts Alertmanager holds (resolved ones aside), with their silenced/inhibited state. */
  async getAlerts(filter: AlertFilter = {}): Promise<GettableAlert[]> {
    const query = new URLSearchParams();
    for (const key of ['active', 'silenced', 'inhibited', 'unprocessed'] as const) {
      const value = filter[key];
      if (value !== undefined) query.set(key, String(value));
    }
    for (const matcher of filter.filter ?? []) query.append('filter', matcher);
    if (filter.receiver !== undefined) query.set('receiver', filter.receiver);
    return (await this.#request('GET', '/alerts', undefined, query)) as GettableAlert[];
  }

  /** Creates a silence (or updates the one of `silence.id`); answers its id. */
  async createSilence(silence: PostableSilence): Promise<string> {
    const body = {
      ...(silence.id === undefined ? {} : { id: silence.id }),
      matchers: silence.matchers.map((matcher) => ({
        name: matcher.name,
        value: matcher.value,
        isRegex: matcher.isRegex ?? false,
        isEqual: matcher.isEqual ?? true,
      })),
      startsAt: isoTime(silence.startsAt),
      endsAt: isoTime(silence.endsAt),
      createdBy: silence.createdBy,
      comment: silence.comment,
    };
    const answer = (await this.#request('POST', '/silences', body)) as { silenceID: string };
    return answer.silenceID;
  }

  /** Expires a silence now (Alertmanager keeps it, expired, for its retention). */
  async expireSilence(id: string): Promise<void> {
    await this.#request('DELETE', `/silence/${encodeURIComponent(id)}`);
  }

  /** Every silence: active, pending and expired; with `filter`, those whose matchers match. */
  async getSilences(
    options: { readonly filter?: readonly string[] } = {},
  ): Promise<GettableSilence[]> {
    const query = new URLSearchParams();
    for (const matcher of options.filter ?? []) query.append('filter', matcher);
    return (await this.#request('GET', '/silences', undefined, query)) as GettableSilence[];
  }

  /** The Alertmanager's version, cluster state, configuration and uptime. */
  async status(): Promise<AlertmanagerStatus> {
    return (await this.#request('GET', '/status')) as AlertmanagerStatus;
  }

  /** One request; answers the parsed JSON body (undefined when empty). */
  async #request(
    method: string,
    path: string,
    body?: unknown,
    query?: URLSearchParams,
  ): Promise<unknown> {
    const { headers, timeout } = this.#config;
    const search = query === undefined || query.size === 0 ? '' : `?${query}`;
    const what = `Alertmanager ${this.url}: ${method} /api/v2${path}`;
    let response: Response;
    let text: string;
    try {
      const init: RequestInit = { method, headers, signal: AbortSignal.timeout(timeout) };
      if (body !== undefined) {
        init.headers = { ...headers, 'content-type': 'application/json' };
        init.body = JSON.stringify(body);
      }
      response = await fetch(`${this.url}/api/v2${path}${search}`, init);
      // Read within the same timeout: a server may stall after the status line.
      text = await response.text();
    } catch (error) {
      throw new DeliveryError(
        `${what} ${failure(error, timeout)}`,
        { retryable: true },
        {
          cause: error,
        },
      );
    }
    if (!response.ok) {
      const { status } = response;
      throw new DeliveryError(`${what} answered ${status}${reason(text)}`, {
        retryable: status >= 500 || status === 429,
        status,
        retryAfter: retryAfter(response.headers.get('retry-after')),
      });
    }
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new DeliveryError(
        `${what} answered ${response.status} with a body that is not JSON${reason(text)}`,
        { retryable: false, status: response.status },
        { cause: error },
      );
    }
  }
}

function isoTime(time: string | Date): string {
  return typeof time === 'string' ? time : time.toISOString();
}

/** Why a request got no answer: a timeout, or the network error's own words. */
function failure(error: unknown, timeout: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `did not answer within ${timeout} ms`;
  }
  // fetch throws TypeError('fetch failed') with the socket's error as its cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return `failed: ${cause instanceof Error ? cause.message : String(cause)}`;
}

/** What Alertmanager said, from its JSON string or `{ code, message }` answer; shortened. */
function reason(text: string): string {
  let said = text.trim();
  try {
    const parsed: unknown = JSON.parse(said);
    if (typeof parsed === 'string') said = parsed;
    else if (typeof parsed === 'object' && parsed !== null && 'message' in parsed) {
      said = String(parsed.message);
    }
  } catch {
    // Not JSON: quoted as is.
  }
  if (said === '') return '';
  return `: ${said.length > MAX_QUOTED ? `${said.slice(0, MAX_QUOTED)}…` : said}`;
}

/** `Retry-After` in ms: seconds, or an HTTP date. */
function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
