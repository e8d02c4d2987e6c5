import type { DurationInput, OnError } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalDuration,
  optionalOnError,
  required,
} from '@vigil/core/options';
import type { Labels } from '../../promql/labels.js';
import type { Alert } from '../../rules/alerting-rule.js';
import type { AlertmanagerClient } from './alertmanager-client.js';

/** How to reach one Alertmanager. */
export interface AlertmanagerConnection {
  /** How long a request may take, answer included. Default `'10s'` (Prometheus's default). */
  timeout?: DurationInput | undefined;
  /** Headers sent with every request, such as a bearer token. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** HTTP basic authentication. The password never appears in an error. */
  basicAuth?: { readonly username: string; readonly password: string } | undefined;
}

/** Options of `new AlertmanagerClient(options)`. */
export interface AlertmanagerClientOptions extends AlertmanagerConnection {
  /**
   * The Alertmanager's base URL, http or https, with its route prefix if it has one:
   * `http://127.0.0.1:9093`, `https://example.com/alertmanager`. No credentials in it: pass
   * `basicAuth`.
   */
  url: string;
}

/** Where the forwarder sends: one URL, several (each gets every alert), or a client of yours. */
export type AlertmanagerTargets =
  | (AlertmanagerConnection & { url: string; urls?: undefined; client?: undefined })
  | (AlertmanagerConnection & { urls: readonly string[]; url?: undefined; client?: undefined })
  | {
      client: AlertmanagerClient;
      url?: undefined;
      urls?: undefined;
      timeout?: undefined;
      headers?: undefined;
      basicAuth?: undefined;
    };

/**
 * Options of `forwardToAlertmanager(engine, options)`: where to send (`url`, `urls` or `client`)
 * and how. Every other field is optional and also takes `undefined` (the default).
 */
export type AlertmanagerForwarderOptions = AlertmanagerTargets & {
  /**
   * An alert that has not changed state is sent again once this much time has passed since it
   * last was (Prometheus's `--rules.alert.resend-delay`). Default `'1m'`.
   */
  resendInterval?: DurationInput | undefined;
  /**
   * The engine's evaluation interval, for a firing alert's `endsAt`: the send time plus
   * 4 × max(resendInterval, evaluationInterval), as Prometheus sets it. Default: the longest
   * interval of the engine's groups, read at each cycle.
   */
  evaluationInterval?: DurationInput | undefined;
  /** The link Alertmanager shows for an alert: a URL, or one per alert. Default: none. */
  generatorURL?: string | ((alert: Alert) => string) | undefined;
  /**
   * Labels added to every alert that does not have them already (Prometheus's
   * `external_labels`), such as `{ cluster: 'eu-1' }`.
   */
  externalLabels?: Labels | undefined;
  /**
   * Called with what fails in the background: a send (a `DeliveryError`, one per Alertmanager
   * and batch), a throwing `generatorURL`. Default: a `VigilWarning` once per kind of failure.
   */
  onError?: OnError | undefined;
};

/** @internal The client's options checked. */
export interface ClientConfig {
  readonly url: URL;
  readonly timeout: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** @internal The forwarder's options checked, clients aside. */
export interface ForwarderConfig {
  readonly resendInterval: number;
  readonly evaluationInterval: number | undefined;
  readonly generatorURL: ((alert: Alert) => string) | undefined;
  readonly externalLabels: Labels;
  readonly onError: OnError | undefined;
}

const CLIENT = 'AlertmanagerClient';
const FORWARDER = 'forwardToAlertmanager';
const CONNECTION_KEYS = ['timeout', 'headers', 'basicAuth'] as const;
const FORWARDER_KEYS = [
  'url',
  'urls',
  'client',
  ...CONNECTION_KEYS,
  'resendInterval',
  'evaluationInterval',
  'generatorURL',
  'externalLabels',
  'onError',
] as const;

/**
 * @internal Checks a client's options once, at construction: `ConfigurationError`
 * (`INVALID_OPTION`, `INVALID_DURATION`) naming the field. Credentials never go in a message.
 */
export function clientConfig(options: AlertmanagerClientOptions, owner = CLIENT): ClientConfig {
  const given = checkOptionsObject(owner, options, ['url', ...CONNECTION_KEYS], { required: true });
  const url = checkUrl(owner, 'url', required(owner, 'url', given['url']));
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(checkHeaders(owner, given['headers']))) {
    headers[name.toLowerCase()] = value;
  }
  const basicAuth = given['basicAuth'];
  if (basicAuth !== undefined) {
    const { username, password } = checkBasicAuth(owner, basicAuth);
    headers['authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  return {
    url,
    timeout: optionalDuration(owner, 'timeout', given['timeout'], { positive: true }) ?? 10_000,
    headers,
  };
}

/** @internal Checks the forwarder's options: the targets as client options, and the rest. */
export function forwarderConfig(options: AlertmanagerForwarderOptions): {
  readonly config: ForwarderConfig;
  readonly targets: readonly (AlertmanagerClient | AlertmanagerClientOptions)[];
} {
  const given = checkOptionsObject(FORWARDER, options, FORWARDER_KEYS, { required: true });
  const { url, urls, client } = given;
  const chosen = [url, urls, client].filter((value) => value !== undefined).length;
  if (chosen !== 1) {
    throw invalidOption(
      FORWARDER,
      `give exactly one of url, urls (several Alertmanagers) or client, got ${chosen === 0 ? 'none' : 'more than one'}`,
    );
  }
  const connection = {
    timeout: given['timeout'],
    headers: given['headers'],
    basicAuth: given['basicAuth'],
  } as AlertmanagerConnection;
  let targets: (AlertmanagerClient | AlertmanagerClientOptions)[];
  if (client !== undefined) {
    if (!hasMethods(client, ['postAlerts'])) {
      throw invalidOption(
        FORWARDER,
        `client should be an AlertmanagerClient, got ${describeValue(client)}`,
      );
    }
    const extra = CONNECTION_KEYS.find((key) => given[key] !== undefined);
    if (extra !== undefined) {
      throw invalidOption(
        FORWARDER,
        `${extra} goes to new AlertmanagerClient() when you pass a client`,
      );
    }
    targets = [client as AlertmanagerClient];
  } else if (url !== undefined) {
    checkUrl(FORWARDER, 'url', url);
    targets = [{ ...connection, url: url as string }];
  } else {
    if (!Array.isArray(urls) || urls.length === 0) {
      throw invalidOption(
        FORWARDER,
        `urls should be a non-empty list of Alertmanager URLs, got ${describeValue(urls)}`,
      );
    }
    targets = urls.map((each: unknown, i) => {
      checkUrl(FORWARDER, `urls[${i}]`, each);
      return { ...connection, url: each as string };
    });
  }
  // The connection options checked here, so that their errors name this function.
  for (const target of targets) if (!('postAlerts' in target)) clientConfig(target, FORWARDER);
  return {
    targets,
    config: {
      resendInterval:
        optionalDuration(FORWARDER, 'resendInterval', given['resendInterval'], {
          positive: true,
        }) ?? 60_000,
      evaluationInterval: optionalDuration(
        FORWARDER,
        'evaluationInterval',
        given['evaluationInterval'],
        { positive: true },
      ),
      generatorURL: checkGeneratorURL(given['generatorURL']),
      externalLabels: checkLabels(FORWARDER, 'externalLabels', given['externalLabels']),
      onError: optionalOnError(FORWARDER, 'onError', given['onError']),
    },
  };
}

function checkUrl(owner: string, field: string, value: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url !== undefined && (url.username !== '' || url.password !== '')) {
    // The value is not repeated: it holds a password.
    throw invalidOption(owner, `${field} should hold no credentials; pass basicAuth instead`);
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    // Not repeated either when it may hold a password ('user:secret@host' without a scheme).
    const got =
      typeof value === 'string' && value.includes('@') ? '' : `, got ${describeValue(value)}`;
    throw invalidOption(
      owner,
      `${field} should be an http or https URL such as 'http://127.0.0.1:9093'${got}`,
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw invalidOption(
      owner,
      `${field} should be the Alertmanager's base URL, without a query or fragment`,
    );
  }
  return url;
}

function checkHeaders(owner: string, value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(
      owner,
      `headers should be an object of header names to strings, got ${describeValue(value)}`,
    );
  }
  for (const [name, header] of Object.entries(value)) {
    // The value is not repeated: a header often holds a token.
    if (typeof header !== 'string')
      throw invalidOption(owner, `headers.${name} should be a string`);
  }
  return value as Readonly<Record<string, string>>;
}

function checkBasicAuth(owner: string, value: unknown): { username: string; password: string } {
  const auth = value as { username?: unknown; password?: unknown } | null;
  if (
    typeof auth !== 'object' ||
    auth === null ||
    typeof auth.username !== 'string' ||
    typeof auth.password !== 'string'
  ) {
    throw invalidOption(owner, 'basicAuth should be { username, password }, both strings');
  }
  return { username: auth.username, password: auth.password };
}

function checkGeneratorURL(value: unknown): ((alert: Alert) => string) | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return () => value;
  if (typeof value === 'function') return value as (alert: Alert) => string;
  throw invalidOption(
    FORWARDER,
    `generatorURL should be a URL or a function (alert) => URL, got ${describeValue(value)}`,
  );
}

function checkLabels(owner: string, field: string, value: unknown): Labels {
  if (value === undefined) return {};
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    Object.values(value).some((label) => typeof label !== 'string')
  ) {
    throw invalidOption(
      owner,
      `${field} should be an object of label names to strings, got ${describeValue(value)}`,
    );
  }
  return value as Labels;
}
