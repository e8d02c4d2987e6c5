import type { DurationInput } from '@vigil/core';
import {
  checkOptionsObject,
  describeValue,
  hasMethods,
  invalidOption,
  optionalBoolean,
  optionalDuration,
  optionalInteger,
  optionalString,
  required,
  unknownOptionMessage,
} from '@vigil/core/options';
import {
  createTransport,
  type NodemailerError,
  type SMTPPoolOptions,
  type Transporter,
} from 'nodemailer';
import { DeliveryError } from '../../errors.js';
import type { Channel, Notification, SendOptions } from '../notification.js';
import { renderEmail } from './email-render.js';

/** The SMTP server the channel sends through, over a small pool of reused connections. */
export interface EmailSmtpOptions {
  /** The server's host name or IP address. */
  host: string;
  /** Default 587, or 465 with `secure`. */
  port?: number | undefined;
  /** TLS from the first byte (usually port 465). Default `false`: STARTTLS when offered. */
  secure?: boolean | undefined;
  /** Log in (AUTH PLAIN or LOGIN). The password never appears in an error. */
  auth?: { user: string; pass: string } | undefined;
  /** Refuse to send over a connection STARTTLS did not encrypt. Default `false`. */
  requireTLS?: boolean | undefined;
  /** `rejectUnauthorized: false` accepts a self-signed certificate. Default `true`. */
  tls?: { rejectUnauthorized?: boolean | undefined } | undefined;
}

interface EmailChannelCommonOptions {
  /** The sender: `alerts@example.com` or `Vigil <alerts@example.com>`. */
  from: string;
  /** One address or a non-empty list, each as `from`. */
  to: string | readonly string[];
  /** Copied recipients, each as `from`. */
  cc?: string | readonly string[] | undefined;
  /** Starts every subject; `''` for none. Default `'[Vigil]'`. */
  subjectPrefix?: string | undefined;
}

/**
 * Options of `emailChannel()`: the addresses, and either `smtp`, a server the channel connects
 * to (and closes at `close()`), or `transport`, a nodemailer transporter the caller owns.
 */
export type EmailChannelOptions = EmailChannelCommonOptions &
  (
    | {
        smtp: EmailSmtpOptions;
        /** Limit of connecting, of the server's greeting and of each reply. Default `'30s'`. */
        timeout?: DurationInput | undefined;
        transport?: undefined;
      }
    | {
        /** From nodemailer's `createTransport()`; its own timeouts apply. Never closed here. */
        transport: Transporter;
        smtp?: undefined;
        timeout?: undefined;
      }
  );

const OWNER = 'emailChannel';
const KEYS = [
  'from',
  'to',
  'cc',
  'subjectPrefix',
  'smtp',
  'timeout',
  'transport',
] as const satisfies readonly (keyof EmailChannelOptions)[];
const SMTP_KEYS = [
  'host',
  'port',
  'secure',
  'auth',
  'requireTLS',
  'tls',
] as const satisfies readonly (keyof EmailSmtpOptions)[];

/**
 * A channel sending each notification as one mail (one group: several alerts in one mail),
 * through nodemailer. One try per `send`: it resolves when the server accepted the message and
 * throws `DeliveryError` otherwise, retryable for a connection failure, a timeout, an abort or
 * an SMTP 4xx reply, not for a 5xx reply (such as 550, every recipient refused, or 535, a wrong
 * password).
 *
 * @throws ConfigurationError `INVALID_OPTION` (or `INVALID_DURATION`) for bad options.
 */
export function emailChannel(options: EmailChannelOptions): Channel {
  const given = checkOptionsObject(OWNER, options, KEYS, { required: true });
  const from = parseAddress(
    'from',
    required(OWNER, 'from', given.from, 'such as "Vigil <alerts@example.com>"'),
  );
  const to = parseAddresses('to', required(OWNER, 'to', given.to, 'one address or a list'));
  const cc = given.cc === undefined ? [] : parseAddresses('cc', given.cc);
  const prefix = optionalString(OWNER, 'subjectPrefix', given.subjectPrefix, { allowEmpty: true });
  if ((given.smtp === undefined) === (given.transport === undefined)) {
    throw invalidOption(
      OWNER,
      'exactly one of smtp (an SMTP server to send through) and transport (a nodemailer Transporter) is required',
    );
  }
  let transport: Transporter;
  let secrets: string[] = [];
  if (given.transport !== undefined) {
    if (given.timeout !== undefined) {
      throw invalidOption(OWNER, 'timeout applies to smtp; set the timeouts of your transport');
    }
    if (!hasMethods(given.transport, ['sendMail'])) {
      throw invalidOption(
        OWNER,
        `transport should be a nodemailer Transporter, got ${kindOf(given.transport)}`,
      );
    }
    transport = given.transport as Transporter;
  } else {
    const timeout = optionalDuration(OWNER, 'timeout', given.timeout, { positive: true }) ?? 30_000;
    const smtp = smtpOptions(given.smtp, timeout);
    if (smtp.auth?.pass !== undefined) secrets = secretForms(smtp.auth.user ?? '', smtp.auth.pass);
    transport = createTransport(smtp);
  }
  return new EmailChannel(transport, given.transport === undefined, {
    from,
    to,
    cc,
    subjectPrefix: prefix ?? '[Vigil]',
    secrets,
  });
}

/** An address as nodemailer takes it: no re-parsing, so a comma in a name is not a list. */
interface MailAddress {
  readonly name: string;
  readonly address: string;
}

interface MailSettings {
  readonly from: MailAddress;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly subjectPrefix: string;
  /** The password in every form it could come back in, to cut out of error messages. */
  readonly secrets: readonly string[];
}

class EmailChannel implements Channel {
  readonly type = 'email';
  readonly #transport: Transporter;
  readonly #ownsTransport: boolean;
  readonly #settings: MailSettings;
  #closed = false;

  constructor(transport: Transporter, ownsTransport: boolean, settings: MailSettings) {
    this.#transport = transport;
    this.#ownsTransport = ownsTransport;
    this.#settings = settings;
  }

  async send(notification: Notification, { signal }: SendOptions): Promise<void> {
    // Retryable: the notification is fine, and stays in the outbox for a channel still open.
    if (this.#closed) throw new DeliveryError('email: the channel is closed', { retryable: true });
    if (signal.aborted) throw abortedError();
    const { from, to, cc, subjectPrefix } = this.#settings;
    const mail = renderEmail(notification, subjectPrefix);
    // A made-up root message every mail of the group refers to, so that clients thread them.
    const root = `<group.${mail.groupId}@${from.address.split('@')[1]}>`;
    const sending = this.#transport.sendMail({
      from,
      to: [...to],
      ...(cc.length > 0 ? { cc: [...cc] } : {}),
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      references: root,
      inReplyTo: root,
      // The same Message-ID for a copy sent again (by a new leader), which mail systems drop.
      ...(notification.id === undefined ? {} : { messageId: `<${notification.id}@vigil.alerts>` }),
      headers: {
        'X-Vigil-Group-Key': mail.groupId,
        // RFC 3834: tells mail servers not to send out-of-office replies to alerts.
        'Auto-Submitted': 'auto-generated',
      },
      signal,
    });
    try {
      // Resolves once the server took the message for at least one recipient: trying again for
      // the others would send the accepted ones a second copy.
      await untilAborted(sending, signal);
    } catch (error) {
      throw deliveryError(error, this.#settings.secrets);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Idle pooled connections close now (QUIT), a busy one after its message.
    if (this.#ownsTransport) this.#transport.close();
  }
}

/**
 * `promise`, or an abort error as soon as `signal` aborts. Nodemailer's SMTP transports close the
 * connection themselves on abort; this also frees the notifier from a transport that does not.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function abortedError(): DeliveryError {
  return new DeliveryError(
    "email: aborted (the delivery's time was up, or the notifier closed); the server may have the message",
    { retryable: true },
  );
}

/** Nodemailer codes for what fails the same way next time: the configuration or the message. */
const PERMANENT_CODES = new Set([
  'EAUTH',
  'ENOAUTH',
  'ECONFIG',
  'EENVELOPE',
  'EMESSAGE',
  'EMAXRECIPIENTS',
  'EREQUIRETLS',
]);

/**
 * The `DeliveryError` for what nodemailer threw. An SMTP reply decides by its class, as RFC 5321
 * says (4xx transient, 5xx permanent; nodemailer's `permanent` flag, which also counts 503 as
 * transient); without one, a failed connection or a timeout is retryable, and a refused login or
 * a bad message is not. The message is cut free of the password; the cause is kept unless it
 * held the password.
 */
function deliveryError(error: unknown, secrets: readonly string[]): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const failure = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  const raw = error instanceof Error ? error.message : String(error);
  const text = secrets.reduce((cut, secret) => cut.split(secret).join('[redacted]'), raw);
  const cause = text === raw ? error : undefined;
  if (failure.code === 'EABORT') return abortedError();
  const reply = failure.responseCode;
  if (reply !== undefined && reply >= 400) {
    const retryable = failure.permanent === undefined ? reply < 500 : !failure.permanent;
    const hint = failure.code === 'EAUTH' ? ' (check smtp.auth)' : '';
    return new DeliveryError(
      `email: the SMTP server refused with ${reply}${failure.command === undefined ? '' : ` at ${failure.command}`}: ${text}${hint}`,
      { retryable, status: reply },
      { cause },
    );
  }
  const code = failure.code ?? 'no code';
  return new DeliveryError(
    `email: ${text} (${code})`,
    { retryable: !PERMANENT_CODES.has(code) },
    { cause },
  );
}

/** The password as sent by AUTH LOGIN (base64) and AUTH PLAIN (base64 of user and password). */
function secretForms(user: string, pass: string): string[] {
  if (pass === '') return [];
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return [pass, base64(pass), base64(`\u0000${user}\u0000${pass}`)];
}

function smtpOptions(value: unknown, timeout: number): SMTPPoolOptions {
  const smtp = checkObject('smtp', value, SMTP_KEYS, '{ host: "smtp.example.com" }');
  const host = optionalString(OWNER, 'smtp.host', smtp.host);
  const auth =
    smtp.auth === undefined
      ? undefined
      : checkObject('smtp.auth', smtp.auth, ['user', 'pass'], '{ user, pass }');
  if (auth !== undefined && (typeof auth.pass !== 'string' || auth.pass === '')) {
    // Never the value: it is a password.
    throw invalidOption(
      OWNER,
      `smtp.auth.pass should be a non-empty string, got ${kindOf(auth.pass)}`,
    );
  }
  const tls =
    smtp.tls === undefined
      ? undefined
      : checkObject('smtp.tls', smtp.tls, ['rejectUnauthorized'], '{ rejectUnauthorized }');
  return {
    // A pool, so that a burst of notifications reuses connections instead of opening one each.
    pool: true,
    // Once, for a pooled connection the server dropped before a byte of the message went out;
    // every other failure goes back to the notifier, which retries from its outbox.
    maxRequeues: 1,
    host: required(OWNER, 'smtp.host', host, 'the SMTP server, such as smtp.example.com'),
    port: optionalInteger(OWNER, 'smtp.port', smtp.port, { min: 1, max: 65_535 }),
    secure: optionalBoolean(OWNER, 'smtp.secure', smtp.secure),
    requireTLS: optionalBoolean(OWNER, 'smtp.requireTLS', smtp.requireTLS),
    auth:
      auth === undefined
        ? undefined
        : {
            user: required(
              OWNER,
              'smtp.auth.user',
              optionalString(OWNER, 'smtp.auth.user', auth.user),
            ),
            pass: auth.pass as string,
          },
    tls:
      tls === undefined
        ? undefined
        : {
            rejectUnauthorized: optionalBoolean(
              OWNER,
              'smtp.tls.rejectUnauthorized',
              tls.rejectUnauthorized,
            ),
          },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
  };
}

/** A plain object with only `known` keys; described by kind only, as it may hold the password. */
function checkObject(
  field: string,
  value: unknown,
  known: readonly string[],
  example: string,
): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(
      OWNER,
      `${field} should be an object such as ${example}, got ${kindOf(value)}`,
    );
  }
  const unknown = unknownOptionMessage(value, known);
  if (unknown !== undefined) throw invalidOption(OWNER, `${field}: ${unknown}`);
  return value as Readonly<Record<string, unknown>>;
}

/** What a value is, never what it holds. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function parseAddresses(field: string, value: unknown): MailAddress[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw invalidOption(
      OWNER,
      `${field} should be an address or a non-empty list of addresses, got ${describeValue(value)}`,
    );
  }
  return list.map((item, index) => parseAddress(`${field}[${index}]`, item));
}

// A deliberately simple check, not RFC 5322's: `local@domain` without spaces, angle brackets or a
// second `@`, alone or as `Display Name <local@domain>`. It catches a typo or a pasted list at
// construction; the SMTP server has the last word.
const ADDRESS = /^[^\s<>@]+@[^\s<>@]+$/;
const NAMED_ADDRESS = /^([^<>]*)<([^<>]*)>$/;

function parseAddress(field: string, value: unknown): MailAddress {
  // Control characters (a line break above all) could forge headers.
  if (typeof value === 'string' && !/\p{Cc}/u.test(value)) {
    const named = NAMED_ADDRESS.exec(value.trim());
    const address = named === null ? value.trim() : (named[2] as string).trim();
    const name = named === null ? '' : (named[1] as string).trim().replace(/^"(.*)"$/, '$1');
    if (ADDRESS.test(address)) return { name, address };
  }
  throw invalidOption(
    OWNER,
    `${field} should be an address such as "alerts@example.com" or "Vigil <alerts@example.com>", got ${describeValue(value)}`,
  );
}
