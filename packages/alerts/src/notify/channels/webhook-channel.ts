import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Clock, type DurationInput, systemClock } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  invalidOption,
  optionalClock,
  optionalDuration,
  optionalInteger,
  optionalNumber,
  optionalString,
} from '@vigil/core/options';
import type { Channel, Notification, NotifiedAlert } from '../notification.js';
import { checkPostUrl, postJson } from './http-post.js';

/** Options of `webhookChannel(options)`. */
export interface WebhookChannelOptions {
  /** Where to POST: an http: or https: URL. Errors name its host, never its path or query. */
  url: string;
  /**
   * Signs every request (at least 16 characters): `X-Vigil-Timestamp` and `X-Vigil-Signature`,
   * which the receiver checks with `verifyWebhookSignature`. Default: unsigned.
   */
  secret?: string | undefined;
  /** How long one attempt may take, answer included. Default `'10s'`. */
  timeout?: DurationInput | undefined;
  /**
   * Extra request headers, such as an `authorization`. Not `content-type`, `content-length` or
   * the signature headers, which the channel sets.
   */
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Sends at most this many alerts of a group and counts the others in `truncatedAlerts`, as
   * Alertmanager's `max_alerts`. Default `0`: all of them.
   */
  maxAlerts?: number | undefined;
  /** Wall clock in ms, for the signature's timestamp. Default core's `systemClock`. */
  clock?: Clock | undefined;
}

const OWNER = 'webhookChannel';
const KEYS = [
  'url',
  'secret',
  'timeout',
  'headers',
  'maxAlerts',
  'clock',
] as const satisfies readonly (keyof WebhookChannelOptions)[];
const MIN_SECRET_LENGTH = 16;
const TIMESTAMP_HEADER = 'x-vigil-timestamp';
const SIGNATURE_HEADER = 'x-vigil-signature';
/** Headers the channel sets itself: a caller's value would break the body or the signature. */
/** The notification's id: the same for a copy sent again, so that receivers can drop it. */
const ID_HEADER = 'x-vigil-notification-id';
const RESERVED_HEADERS = [
  'content-type',
  'content-length',
  TIMESTAMP_HEADER,
  SIGNATURE_HEADER,
  ID_HEADER,
];
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A channel that POSTs each notification as Alertmanager's webhook JSON (version 4), so any
 * receiver written for Alertmanager takes it as is; signed with `secret` when one is given.
 * One attempt per `send`: the notifier retries.
 *
 * @throws ConfigurationError `INVALID_OPTION` (or `INVALID_DURATION` for `timeout`).
 */
export function webhookChannel(options: WebhookChannelOptions): Channel {
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const url = checkPostUrl(OWNER, 'url', given.url, { httpsOnly: false });
  const secret = checkSecret(given.secret);
  const timeout = optionalDuration(OWNER, 'timeout', given.timeout, { positive: true }) ?? 10_000;
  const maxAlerts = optionalInteger(OWNER, 'maxAlerts', given.maxAlerts, { min: 0 }) ?? 0;
  const clock = optionalClock(OWNER, 'clock', given.clock) ?? systemClock;
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'vigil-alerts',
    ...checkHeaders(given.headers),
  };
  return {
    type: 'webhook',
    async send(notification, { signal }) {
      const body = webhookBody(notification, maxAlerts);
      // The notification's id lets a receiver drop a copy a new leader sent again.
      const identified =
        notification.id === undefined ? headers : { ...headers, [ID_HEADER]: notification.id };
      const signed =
        secret === undefined
          ? identified
          : { ...identified, ...signatureHeaders(secret, clock, body) };
      await postJson({ channel: 'webhook', url, body, headers: signed, timeout, signal, clock });
    },
  };
}

/** The body: Alertmanager's webhook message, version 4, in its field order. */
function webhookBody(notification: Notification, maxAlerts: number): string {
  const cut = maxAlerts > 0 ? Math.max(0, notification.alerts.length - maxAlerts) : 0;
  const alerts = cut > 0 ? notification.alerts.slice(0, maxAlerts) : notification.alerts;
  // Field by field, so that nothing beyond the format (a field added to a notification later)
  // reaches receivers. The group's fields describe the whole group, truncated or not.
  return JSON.stringify({
    receiver: notification.receiver,
    status: notification.status,
    alerts: alerts.map(alertBody),
    groupLabels: notification.groupLabels,
    commonLabels: notification.commonLabels,
    commonAnnotations: notification.commonAnnotations,
    externalURL: notification.externalURL,
    version: '4',
    groupKey: notification.groupKey,
    truncatedAlerts: notification.truncatedAlerts + cut,
  });
}

function alertBody(alert: NotifiedAlert) {
  return {
    status: alert.status,
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    endsAt: alert.endsAt,
    generatorURL: alert.generatorURL,
    fingerprint: alert.fingerprint,
  };
}

/**
 * The timestamp is signed with the body (as Stripe and Slack sign), so that a receiver can refuse
 * a captured request replayed later.
 */
function signatureHeaders(secret: string, clock: Clock, body: string): Record<string, string> {
  const timestamp = String(Math.floor(clock.now() / 1000));
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: `sha256=${hmac(secret, timestamp, body).toString('hex')}`,
  };
}

function hmac(secret: string, timestamp: string, body: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

function checkSecret(value: unknown): string | undefined {
  const secret = optionalString(OWNER, 'secret', value);
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    // The length only: never the secret.
    throw invalidOption(
      OWNER,
      `secret should be at least ${MIN_SECRET_LENGTH} characters long, got ${secret.length}`,
    );
  }
  return secret;
}

/** Messages name the header, never its value: an `authorization` is a secret. */
function checkHeaders(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = typeof value === 'string' ? 'a string' : describeValue(value);
    throw invalidOption(
      OWNER,
      `headers should be an object of header names to strings, got ${got}`,
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) {
      throw invalidOption(OWNER, `headers: ${describeValue(name)} is not a header name`);
    }
    if (RESERVED_HEADERS.includes(name.toLowerCase())) {
      throw invalidOption(
        OWNER,
        `headers: ${name} is set by the channel; the reserved headers are ${RESERVED_HEADERS.join(', ')}`,
      );
    }
    if (typeof header !== 'string' || /[\r\n\0]/.test(header)) {
      throw invalidOption(OWNER, `headers.${name} should be a string without line breaks`);
    }
    // Lower case, so that a `User-Agent` replaces the channel's instead of joining it.
    headers[name.toLowerCase()] = header;
  }
  return headers;
}

/** What `verifyWebhookSignature` checks: the request's headers and its raw body. */
export interface VerifyWebhookSignatureOptions {
  /** The channel's `secret`. */
  secret: string;
  /** The `X-Vigil-Timestamp` header (Node's `req.headers['x-vigil-timestamp']`). */
  timestamp: string | readonly string[] | null | undefined;
  /** The `X-Vigil-Signature` header. */
  signature: string | readonly string[] | null | undefined;
  /** The body exactly as received, before any JSON parsing. */
  body: string | Uint8Array;
  /** How far the timestamp may be from now, either way. Default 300 (5 minutes). */
  toleranceSeconds?: number | undefined;
  /** Now, in ms since the epoch. Default `Date.now()`. */
  now?: number | undefined;
}

const VERIFY = 'verifyWebhookSignature';

/**
 * For receivers: whether a request came from a webhook channel with this `secret`, untouched
 * and recent. False for a missing or malformed header, a stale timestamp, or a signature that
 * does not match (compared in constant time).
 *
 * @throws ConfigurationError `INVALID_OPTION` for a missing secret (a deployment without its
 * secret should fail loudly, not refuse every request quietly).
 */
export function verifyWebhookSignature(options: VerifyWebhookSignatureOptions): boolean {
  const secret = optionalString(VERIFY, 'secret', options.secret);
  if (secret === undefined) throw invalidOption(VERIFY, 'secret is required');
  const tolerance = optionalNumber(VERIFY, 'toleranceSeconds', options.toleranceSeconds, {
    min: 0,
  });
  const now = optionalNumber(VERIFY, 'now', options.now) ?? Date.now();
  const { timestamp, signature, body } = options;
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw invalidOption(
      VERIFY,
      `body should be the raw body as received (a string or a Buffer), got ${describeValue(body)}: verify before parsing the JSON`,
    );
  }
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return false;
  if (typeof signature !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(signature)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > (tolerance ?? 300)) return false;
  const given = Buffer.from(signature.slice('sha256='.length), 'hex');
  return timingSafeEqual(hmac(secret, timestamp, body), given);
}
