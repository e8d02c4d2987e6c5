import { once } from 'node:events';
import { inspect } from 'node:util';
import { ConfigurationError } from '@vigil/core';
import type { AddressObject, ParsedMail } from 'mailparser';
import { createTransport } from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../src/errors.js';
import { type EmailChannelOptions, emailChannel } from '../src/notify/channels/email-channel.js';
import type { Channel, Notification, NotifiedAlert } from '../src/notify/notification.js';
import {
  type SmtpTestServerOptions,
  startSilentServer,
  startSmtpTestServer,
} from './support/smtp-test-server.js';

const PASSWORD = 'correct-horse-battery-staple';
const FROM = 'Vigil <alerts@example.com>';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  // Channels before servers: a server waits for the connections still open.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function smtpServer(options: SmtpTestServerOptions = {}) {
  const server = await startSmtpTestServer(options);
  cleanups.push(() => server.close());
  return server;
}

function channel(options: EmailChannelOptions): Channel {
  const made = emailChannel(options);
  cleanups.push(() => made.close?.() ?? Promise.resolve());
  return made;
}

function send(target: Channel, notification: Notification, signal = new AbortController().signal) {
  return target.send(notification, { signal });
}

/** What `promise` rejected with, as a DeliveryError. */
async function deliveryFailure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

function optionError(options: unknown): ConfigurationError {
  try {
    emailChannel(options as EmailChannelOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('emailChannel accepted the options');
}

function alert(instance: string, overrides: Partial<NotifiedAlert> = {}): NotifiedAlert {
  return {
    status: 'firing',
    labels: { alertname: 'HighErrorRate', job: 'api', severity: 'critical', instance },
    annotations: {
      summary: `Error rate above 5% on ${instance}`,
      description: `7% of requests to ${instance} failed over 5 minutes.`,
    },
    startsAt: '2026-03-01T10:00:00.000Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: `http://vigil.example.com/alerts?instance=${instance}`,
    fingerprint: `f-${instance}`,
    ...overrides,
  };
}

function notification(
  alerts: readonly NotifiedAlert[],
  overrides: Partial<Notification> = {},
): Notification {
  return {
    receiver: 'team-api',
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate', job: 'api', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://vigil.example.com',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    ...overrides,
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.map((entry) => entry.address ?? ''));
}

function html(mail: ParsedMail): string {
  return typeof mail.html === 'string' ? mail.html : '';
}

describe('emailChannel: the mail', () => {
  it('sends a group of 3 alerts as one mail: from, to, cc, subject, text and HTML bodies', async () => {
    const server = await smtpServer();
    const email = channel({
      from: FROM,
      to: ['oncall@example.com', 'Team API <team-api@example.com>'],
      cc: 'boss@example.com',
      smtp: { host: '127.0.0.1', port: server.port },
    });
    expect(email.type).toBe('email');

    await send(email, notification([alert('api-1'), alert('api-2'), alert('api-3')]));

    expect(server.received).toHaveLength(1);
    const { mail, from, recipients } = server.received[0]!;
    expect(from).toBe('alerts@example.com');
    expect(recipients).toEqual(['oncall@example.com', 'team-api@example.com', 'boss@example.com']);
    expect(mail.from?.value).toEqual([{ name: 'Vigil', address: 'alerts@example.com' }]);
    expect(addresses(mail.to)).toEqual(['oncall@example.com', 'team-api@example.com']);
    expect(addresses(mail.cc)).toEqual(['boss@example.com']);
    expect(mail.subject).toBe('[Vigil] [FIRING:3] HighErrorRate (api critical)');
    for (const instance of ['api-1', 'api-2', 'api-3']) {
      expect(mail.text).toContain(`* Error rate above 5% on ${instance}`);
      expect(mail.text).toContain(`Description: 7% of requests to ${instance} failed`);
      expect(mail.text).toContain(
        `Labels: alertname=HighErrorRate, instance=${instance}, job=api, severity=critical`,
      );
      expect(mail.text).toContain(`Source: http://vigil.example.com/alerts?instance=${instance}`);
      expect(html(mail)).toContain(`<strong>Error rate above 5% on ${instance}</strong>`);
      expect(html(mail)).toContain(`instance=${instance}`);
    }
    expect(mail.text).toContain('Firing (3)');
    expect(mail.text).toContain('Started: 2026-03-01T10:00:00.000Z');
    expect(mail.text).not.toContain('Ended:');
    expect(mail.text).toContain('Receiver: team-api');
    expect(html(mail)).toContain('<table');
    expect(html(mail).match(/<tr>/g)).toHaveLength(4); // a header row and 3 alerts
  });

  it('sends a resolved notification with each alert’s end', async () => {
    const server = await smtpServer();
    const email = channel({
      from: FROM,
      to: 'oncall@example.com',
      smtp: { host: '127.0.0.1', port: server.port },
    });
    const ended = { status: 'resolved', endsAt: '2026-03-01T10:20:00.000Z' } as const;

    await send(email, notification([alert('api-1', ended), alert('api-2', ended)]));

    const { mail } = server.received[0]!;
    expect(mail.subject).toBe('[Vigil] [RESOLVED] HighErrorRate (api critical)');
    expect(mail.text).toContain('Resolved (2)');
    expect(mail.text).not.toContain('Firing');
    expect(mail.text).toContain('Ended: 2026-03-01T10:20:00.000Z');
    expect(html(mail)).toContain('<th align="left">Ended</th>');
    expect(html(mail)).toContain('2026-03-01T10:20:00.000Z');
  });

  it('lists firing alerts before resolved ones and counts only the firing in the subject', async () => {
    const server = await smtpServer();
    const email = channel({
      from: FROM,
      to: 'oncall@example.com',
      subjectPrefix: '',
      smtp: { host: '127.0.0.1', port: server.port },
    });
    const resolved = alert('api-1', { status: 'resolved', endsAt: '2026-03-01T10:20:00.000Z' });

    await send(email, notification([resolved, alert('api-2')], { truncatedAlerts: 4 }));

    const { mail } = server.received[0]!;
    expect(mail.subject).toBe('[FIRING:1] HighErrorRate (api critical)');
    const text = mail.text ?? '';
    expect(text.indexOf('Firing (1)')).toBeLessThan(text.indexOf('Resolved (1)'));
    expect(text.indexOf('on api-2')).toBeLessThan(text.indexOf('on api-1'));
    expect(text).toContain('4 more alerts left out of this mail.');
  });

  it('escapes every value in the HTML body and links only http(s) URLs', async () => {
    const server = await smtpServer();
    const email = channel({
      from: FROM,
      to: 'oncall@example.com',
      smtp: { host: '127.0.0.1', port: server.port },
    });
    const hostile = alert('api-1', {
      labels: { alertname: 'HighErrorRate', instance: '"><img src=x onerror=alert(1)>' },
      annotations: { summary: '<script>alert("pwned")</script>', description: 'a & b' },
      generatorURL: 'javascript:alert(1)',
    });

    await send(email, notification([hostile], { commonLabels: { alertname: 'HighErrorRate' } }));

    const body = html(server.received[0]!.mail);
    expect(body).not.toContain('<script>');
    expect(body).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(body).not.toContain('<img');
    expect(body).toContain('instance=&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(body).toContain('a &amp; b');
    expect(body).not.toContain('href="javascript:');
    // The text body is plain text: the values as they are.
    expect(server.received[0]!.mail.text).toContain('<script>alert("pwned")</script>');
  });

  it('gives every mail of a group the same thread headers, another group other ones', async () => {
    const server = await smtpServer();
    const email = channel({
      from: FROM,
      to: 'oncall@example.com',
      smtp: { host: '127.0.0.1', port: server.port },
    });
    const other = { groupKey: '{}:{alertname="DiskFull"}', groupLabels: { alertname: 'DiskFull' } };

    await send(email, notification([alert('api-1')]));
    await send(email, notification([alert('api-1', { status: 'resolved' })]));
    await send(email, notification([alert('db-1')], other));

    const [first, second, third] = server.received.map((received) => received.mail);
    const groupKey = (mail: ParsedMail | undefined) => mail?.headers.get('x-vigil-group-key');
    expect(groupKey(first)).toMatch(/^[0-9a-f]{32}$/);
    expect(first?.references).toBe(`<group.${groupKey(first)}@example.com>`);
    expect(groupKey(second)).toBe(groupKey(first));
    expect(groupKey(third)).not.toBe(groupKey(first));
    expect(first?.references).toBe(first?.inReplyTo);
    expect(second?.references).toBe(first?.references);
    expect(third?.references).not.toBe(first?.references);
    expect(first?.messageId).not.toBe(second?.messageId);
    expect(first?.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('reuses one pooled connection for consecutive notifications', async () => {
    const server = await smtpServer();
    const email = channel({
      from: FROM,
      to: 'oncall@example.com',
      smtp: { host: '127.0.0.1', port: server.port },
    });

    for (const instance of ['api-1', 'api-2', 'api-3']) {
      await send(email, notification([alert(instance)]));
      // The pool hands the connection back on the next turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
    }

    expect(server.received).toHaveLength(3);
    expect(server.connections).toBe(1);
  });

  it('sends through a transport the caller owns, and leaves it open at close()', async () => {
    const server = await smtpServer();
    const transport = createTransport({ host: '127.0.0.1', port: server.port });
    cleanups.push(async () => transport.close());
    const email = channel({ from: FROM, to: 'oncall@example.com', transport });

    await send(email, notification([alert('api-1')]));
    await email.close?.();
    await transport.sendMail({ from: 'a@example.com', to: 'b@example.com', text: 'still open' });

    expect(server.received.map((received) => received.mail.subject)).toEqual([
      '[Vigil] [FIRING:1] HighErrorRate (api critical)',
      undefined,
    ]);
    const closed = await deliveryFailure(send(email, notification([alert('api-1')])));
    expect(closed.message).toContain('closed');
  });
});

describe('emailChannel: login', () => {
  it.each(['PLAIN', 'LOGIN'] as const)(
    'logs in with the right password (AUTH %s)',
    async (method) => {
      const server = await smtpServer({
        auth: { user: 'vigil', pass: PASSWORD },
        authMethod: method,
      });
      const email = channel({
        from: FROM,
        to: 'oncall@example.com',
        smtp: { host: '127.0.0.1', port: server.port, auth: { user: 'vigil', pass: PASSWORD } },
      });

      await send(email, notification([alert('api-1')]));

      expect(server.received.map((received) => received.user)).toEqual(['vigil']);
    },
  );

  it.each(['PLAIN', 'LOGIN'] as const)(
    'fails for good with a wrong password (AUTH %s, 535), never showing it',
    async (method) => {
      const server = await smtpServer({
        auth: { user: 'vigil', pass: PASSWORD },
        authMethod: method,
      });
      const wrong = `wrong-${PASSWORD}`;
      const email = channel({
        from: FROM,
        to: 'oncall@example.com',
        smtp: { host: '127.0.0.1', port: server.port, auth: { user: 'vigil', pass: wrong } },
      });

      const error = await deliveryFailure(send(email, notification([alert('api-1')])));

      expect(error.code).toBe('DELIVERY_FAILED');
      expect(error.retryable).toBe(false);
      expect(error.status).toBe(535);
      expect(error.message).toContain('535');
      // The test server echoes the password it was sent: the channel cut it out.
      expect(error.message).toContain('[redacted]');
      for (const secret of [wrong, Buffer.from(wrong).toString('base64')]) {
        expect(inspect(error, { depth: 10 })).not.toContain(secret);
        expect(JSON.stringify(error)).not.toContain(secret);
      }
      expect(server.received).toHaveLength(0);
    },
  );
});

describe('emailChannel: refusals', () => {
  it.each([
    { refused: 'RCPT TO', reply: { rcptReply: 451 }, status: 451, retryable: true },
    { refused: 'DATA', reply: { dataReply: 451 }, status: 451, retryable: true },
    { refused: 'RCPT TO', reply: { rcptReply: 452 }, status: 452, retryable: true },
    { refused: 'RCPT TO', reply: { rcptReply: 550 }, status: 550, retryable: false },
    { refused: 'RCPT TO', reply: { rcptReply: 553 }, status: 553, retryable: false },
    { refused: 'DATA', reply: { dataReply: 554 }, status: 554, retryable: false },
  ])(
    'a $status at $refused is a DeliveryError, retryable: $retryable',
    async ({ reply, status, retryable }) => {
      const server = await smtpServer(reply);
      const email = channel({
        from: FROM,
        to: ['oncall@example.com', 'team@example.com'],
        smtp: { host: '127.0.0.1', port: server.port },
      });

      const error = await deliveryFailure(send(email, notification([alert('api-1')])));

      expect(error.retryable).toBe(retryable);
      expect(error.status).toBe(status);
      expect(error.message).toContain(String(status));
      expect(server.received).toHaveLength(0);
    },
  );
});

describe('emailChannel: time and aborts', () => {
  it('fails retryable when the server never greets within timeout', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const email = channel({
      from: FROM,
      to: 'oncall@example.com',
      timeout: '300ms',
      smtp: { host: '127.0.0.1', port: silent.port },
    });

    const error = await deliveryFailure(send(email, notification([alert('api-1')])));

    expect(error.retryable).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toContain('ETIMEDOUT');
  });

  it('fails retryable when the connection is refused', async () => {
    const silent = await startSilentServer();
    const port = silent.port;
    await silent.close();
    const email = channel({
      from: FROM,
      to: 'oncall@example.com',
      smtp: { host: '127.0.0.1', port },
    });

    const error = await deliveryFailure(send(email, notification([alert('api-1')])));

    expect(error.retryable).toBe(true);
  });

  it('stops at an abort: a retryable DeliveryError, and the connection is closed', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const email = channel({
      from: FROM,
      to: 'oncall@example.com',
      smtp: { host: '127.0.0.1', port: silent.port },
    });
    const controller = new AbortController();

    const sending = deliveryFailure(send(email, notification([alert('api-1')]), controller.signal));
    const socket = await silent.connection();
    const closed = once(socket, 'close');
    controller.abort();
    const error = await sending;

    expect(error.retryable).toBe(true);
    expect(error.message).toContain('aborted');
    await closed;
  });

  it('does not start when the signal is already aborted', async () => {
    const server = await smtpServer();
    const email = channel({
      from: FROM,
      to: 'oncall@example.com',
      smtp: { host: '127.0.0.1', port: server.port },
    });

    const error = await deliveryFailure(
      send(email, notification([alert('a')]), AbortSignal.abort()),
    );

    expect(error.retryable).toBe(true);
    expect(server.connections).toBe(0);
  });
});

describe('emailChannel: options', () => {
  const smtp = { host: '127.0.0.1', port: 2525 };

  it.each([
    ['from is missing', { to: 'a@example.com', smtp }, 'from is required'],
    ['from is not an address', { from: 'alerts', to: 'a@example.com', smtp }, 'from should be'],
    ['to is empty', { from: FROM, to: [], smtp }, 'to should be'],
    ['to is missing', { from: FROM, smtp }, 'to is required'],
    ['an address has a space', { from: FROM, to: 'on call@example.com', smtp }, 'to[0]'],
    ['a list in one string', { from: FROM, to: 'a@example.com,b@example.com', smtp }, 'to[0]'],
    ['an angle bracket is missing', { from: 'Vigil <a@example.com', to: 'b@x.com', smtp }, 'from'],
    ['a line break', { from: FROM, to: 'a@example.com\nBcc: c@example.com', smtp }, 'to[0]'],
    ['cc is not an address', { from: FROM, to: 'a@example.com', cc: ['x'], smtp }, 'cc[0]'],
    ['neither smtp nor transport', { from: FROM, to: 'a@example.com' }, 'exactly one of smtp'],
    ['smtp.host is missing', { from: FROM, to: 'a@example.com', smtp: {} }, 'smtp.host'],
    [
      'smtp.port is out of range',
      { from: FROM, to: 'a@x.com', smtp: { ...smtp, port: 0 } },
      'port',
    ],
    ['an unknown smtp option', { from: FROM, to: 'a@x.com', smtp: { ...smtp, hots: 1 } }, 'hots'],
    ['an unknown option', { from: FROM, to: 'a@example.com', smtp, subject: 'x' }, 'subject'],
  ])('refuses options where %s (INVALID_OPTION)', (_case, options, expected) => {
    const error = optionError(options);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain(expected);
  });

  it('refuses smtp and transport together, and timeout with a transport', () => {
    const transport = createTransport({ jsonTransport: true });
    const both = optionError({ from: FROM, to: 'a@example.com', smtp, transport });
    expect(both.message).toContain('exactly one of smtp');
    const timeout = optionError({ from: FROM, to: 'a@example.com', transport, timeout: '1s' });
    expect(timeout.message).toContain('timeout applies to smtp');
  });

  it('refuses a bad timeout', () => {
    const error = optionError({ from: FROM, to: 'a@example.com', smtp, timeout: 'soon' });
    expect(error.code).toBe('INVALID_DURATION');
  });

  it('never shows the password in an option error', () => {
    const cases = [
      { ...smtp, auth: { user: 'vigil', pass: PASSWORD, extra: 1 } },
      { ...smtp, auth: { pass: PASSWORD } },
      { ...smtp, auth: PASSWORD },
      [{ ...smtp, auth: { user: 'vigil', pass: PASSWORD } }],
    ];
    for (const bad of cases) {
      const error = optionError({ from: FROM, to: 'a@example.com', smtp: bad });
      expect(error.code).toBe('INVALID_OPTION');
      expect(inspect(error)).not.toContain(PASSWORD);
    }
    const numeric = optionError({
      from: FROM,
      to: 'a@example.com',
      smtp: { ...smtp, auth: { user: 'vigil', pass: 31_415_926 } },
    });
    expect(numeric.message).toContain('smtp.auth.pass should be a non-empty string, got a number');
    expect(numeric.message).not.toContain('31415926');
  });
});
