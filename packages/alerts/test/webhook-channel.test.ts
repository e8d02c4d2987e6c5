import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { ConfigurationError } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { caught, rejection, serveOnLoopback } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../src/errors.js';
import { verifyWebhookSignature, webhookChannel } from '../src/notify/channels/webhook-channel.js';
import type { Notification, NotifiedAlert } from '../src/notify/notification.js';

const SECRET = 'a-secret-of-32-characters-long!!';
const PATH = '/hooks/T0KEN-IN-PATH?key=QUERY-SECRET';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A local receiver: records each request, then answers it with `answer` (default 200). */
async function receiver(
  answer: (res: ServerResponse) => void = (res) => res.writeHead(200).end('ok'),
): Promise<{ base: string; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = await serveOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      answer(res);
    });
  });
  cleanups.push(() => server.close());
  const base = server.url;
  return { base, url: `${base}${PATH}`, received };
}

function alert(overrides: Partial<NotifiedAlert> = {}): NotifiedAlert {
  return {
    status: 'firing',
    labels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical' },
    annotations: { summary: 'Errors above 5 %' },
    startsAt: '2026-01-01T00:00:00.000Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://vigil.example/alerts/HighErrorRate',
    fingerprint: 'a1b2c3d4e5f60718',
    ...overrides,
  };
}

function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    receiver: 'ops',
    status: 'firing',
    alerts: [alert()],
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical' },
    commonAnnotations: { summary: 'Errors above 5 %' },
    externalURL: 'http://vigil.example',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    ...overrides,
  };
}

const send = { signal: new AbortController().signal };

/** The `DeliveryError` a send rejects with; its message must never show the URL's secrets. */
async function deliveryError(promise: Promise<void>): Promise<DeliveryError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(DeliveryError);
  const delivery = error as DeliveryError;
  expect(delivery.code).toBe('DELIVERY_FAILED');
  expect(delivery.message).not.toMatch(/T0KEN|QUERY-SECRET|hooks|http:/);
  return delivery;
}

function configurationError(fn: () => unknown): ConfigurationError {
  const error = caught(fn);
  expect(error).toBeInstanceOf(ConfigurationError);
  return error as ConfigurationError;
}

describe('webhookChannel', () => {
  it("posts Alertmanager's webhook body, version 4, field for field and nothing more", async () => {
    const { url, received } = await receiver();
    const resolved = alert({
      status: 'resolved',
      labels: { alertname: 'HighErrorRate', service: 'web', severity: 'critical' },
      endsAt: '2026-01-01T00:05:00.000Z',
      fingerprint: '0f1e2d3c4b5a6978',
    });
    // A field beyond the format must not reach receivers.
    const extra = { ...alert(), internal: 'not for receivers' } as NotifiedAlert;
    const channel = webhookChannel({ url });
    expect(channel.type).toBe('webhook');

    await channel.send(notification({ alerts: [extra, resolved] }), send);

    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]?.body ?? '')).toStrictEqual({
      receiver: 'ops',
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical' },
          annotations: { summary: 'Errors above 5 %' },
          startsAt: '2026-01-01T00:00:00.000Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://vigil.example/alerts/HighErrorRate',
          fingerprint: 'a1b2c3d4e5f60718',
        },
        {
          status: 'resolved',
          labels: { alertname: 'HighErrorRate', service: 'web', severity: 'critical' },
          annotations: { summary: 'Errors above 5 %' },
          startsAt: '2026-01-01T00:00:00.000Z',
          endsAt: '2026-01-01T00:05:00.000Z',
          generatorURL: 'http://vigil.example/alerts/HighErrorRate',
          fingerprint: '0f1e2d3c4b5a6978',
        },
      ],
      groupLabels: { alertname: 'HighErrorRate' },
      commonLabels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical' },
      commonAnnotations: { summary: 'Errors above 5 %' },
      externalURL: 'http://vigil.example',
      version: '4',
      groupKey: '{}:{alertname="HighErrorRate"}',
      truncatedAlerts: 0,
    });
  });

  it('POSTs JSON to the path and query given, with its user agent and the extra headers', async () => {
    const { url, received } = await receiver();
    const headers = { Authorization: 'Bearer xyz', 'X-Team': 'ops' };
    await webhookChannel({ url, headers }).send(notification(), send);
    await webhookChannel({ url, headers: { 'User-Agent': 'billing-alerts' } }).send(
      notification(),
      send,
    );

    const request = received[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(PATH);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toBe('vigil-alerts');
    expect(request?.headers.authorization).toBe('Bearer xyz');
    expect(request?.headers['x-team']).toBe('ops');
    // Unsigned without a secret.
    expect(request?.headers['x-vigil-timestamp']).toBeUndefined();
    expect(request?.headers['x-vigil-signature']).toBeUndefined();
    // A user agent given replaces the channel's.
    expect(received[1]?.headers['user-agent']).toBe('billing-alerts');
  });

  it('signs the timestamp and the body; verifyWebhookSignature accepts it, and nothing altered', async () => {
    const { url, received } = await receiver();
    const clock = manualClock();
    await webhookChannel({ url, secret: SECRET, clock }).send(notification(), send);

    const { headers, body } = received[0] as Received;
    const timestamp = headers['x-vigil-timestamp'];
    const signature = headers['x-vigil-signature'];
    expect(timestamp).toBe(String(Math.floor(clock.now() / 1000)));
    // The recipe in the docs, for receivers not in Node.
    const recipe = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
    expect(signature).toBe(`sha256=${recipe}`);

    const now = clock.now();
    const check = { secret: SECRET, timestamp, signature, body, now };
    expect(verifyWebhookSignature(check)).toBe(true);
    expect(verifyWebhookSignature({ ...check, body: Buffer.from(body) })).toBe(true);
    expect(verifyWebhookSignature({ ...check, now: now + 300_000 })).toBe(true);

    expect(verifyWebhookSignature({ ...check, secret: 'another-secret-of-32-characters!' })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ ...check, body: body.replace('"ops"', '"dev"') })).toBe(false);
    expect(verifyWebhookSignature({ ...check, now: now + 301_000 })).toBe(false);
    expect(verifyWebhookSignature({ ...check, now: now + 60_000, toleranceSeconds: 30 })).toBe(
      false,
    );
    // A timestamp moved to pass the age check no longer matches the signature.
    expect(verifyWebhookSignature({ ...check, timestamp: String(Number(timestamp) + 1) })).toBe(
      false,
    );
    expect(verifyWebhookSignature({ ...check, timestamp: undefined })).toBe(false);
    expect(verifyWebhookSignature({ ...check, signature: undefined })).toBe(false);
    expect(verifyWebhookSignature({ ...check, signature: [signature as string] })).toBe(false);
    expect(verifyWebhookSignature({ ...check, signature: recipe })).toBe(false);
    expect(verifyWebhookSignature({ ...check, signature: `sha256=${'0'.repeat(64)}` })).toBe(false);
  });

  it('verifyWebhookSignature refuses to run without a secret or on a parsed body', () => {
    const check = { timestamp: '1', signature: `sha256=${'0'.repeat(64)}`, body: '{}' };
    const noSecret = configurationError(() =>
      verifyWebhookSignature({ ...check, secret: undefined as unknown as string }),
    );
    expect(noSecret.code).toBe('INVALID_OPTION');
    const parsed = configurationError(() =>
      verifyWebhookSignature({ ...check, secret: SECRET, body: {} as unknown as string }),
    );
    expect(parsed.message).toContain('raw body');
  });

  it('sends the first maxAlerts alerts and counts the others in truncatedAlerts', async () => {
    const { url, received } = await receiver();
    const alerts = ['a', 'b', 'c', 'd', 'e'].map((fingerprint) => alert({ fingerprint }));

    await webhookChannel({ url, maxAlerts: 2 }).send(notification({ alerts }), send);
    // Alerts the notifier already left out are counted too.
    await webhookChannel({ url, maxAlerts: 2 }).send(
      notification({ alerts, truncatedAlerts: 4 }),
      send,
    );
    await webhookChannel({ url }).send(notification({ alerts }), send);

    const bodies = received.map(
      (request) => JSON.parse(request.body) as { alerts: NotifiedAlert[]; truncatedAlerts: number },
    );
    expect(bodies.map((body) => body.alerts.map((a) => a.fingerprint))).toEqual([
      ['a', 'b'],
      ['a', 'b'],
      ['a', 'b', 'c', 'd', 'e'],
    ]);
    expect(bodies.map((body) => body.truncatedAlerts)).toEqual([3, 7, 0]);
  });

  it('a 5xx is retryable, named by host only', async () => {
    const { base, url } = await receiver((res) => res.writeHead(500).end('secret stack trace'));
    const error = await deliveryError(webhookChannel({ url }).send(notification(), send));
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(500);
    expect(error.retryAfter).toBeUndefined();
    expect(error.message).toBe(`webhook to ${new URL(base).host} answered 500`);
  });

  it('a 429 is retryable after its Retry-After, in seconds or as a date', async () => {
    const { url: seconds } = await receiver((res) =>
      res.writeHead(429, { 'retry-after': '3' }).end(),
    );
    const clock = manualClock();
    const date = new Date(clock.now() + 7_000).toUTCString();
    const { url: dated } = await receiver((res) =>
      res.writeHead(503, { 'retry-after': date }).end(),
    );

    const inSeconds = await deliveryError(
      webhookChannel({ url: seconds }).send(notification(), send),
    );
    expect(inSeconds).toMatchObject({ retryable: true, status: 429, retryAfter: 3000 });
    const atDate = await deliveryError(
      webhookChannel({ url: dated, clock }).send(notification(), send),
    );
    expect(atDate).toMatchObject({ retryable: true, status: 503, retryAfter: 7000 });
  });

  it('another 4xx is not retryable, nor is a redirect, which is not followed', async () => {
    const { url: bad } = await receiver((res) => res.writeHead(400).end('invalid'));
    const { url: elsewhere, received: followed } = await receiver();
    const { url: moved } = await receiver((res) =>
      res.writeHead(307, { location: elsewhere }).end(),
    );

    const refused = await deliveryError(webhookChannel({ url: bad }).send(notification(), send));
    expect(refused).toMatchObject({ retryable: false, status: 400 });
    const redirected = await deliveryError(
      webhookChannel({ url: moved }).send(notification(), send),
    );
    expect(redirected).toMatchObject({ retryable: false, status: 307 });
    expect(followed).toHaveLength(0);
  });

  it('a refused connection is retryable', async () => {
    const { base, url } = await receiver();
    await cleanups.pop()?.();
    const error = await deliveryError(webhookChannel({ url }).send(notification(), send));
    expect(error.retryable).toBe(true);
    expect(error.status).toBeUndefined();
    expect(error.message).toBe(`webhook to ${new URL(base).host} failed: ECONNREFUSED`);
  });

  it('gives up after its timeout on a receiver that never answers: retryable', async () => {
    const { url } = await receiver(() => {});
    const started = performance.now();
    const error = await deliveryError(
      webhookChannel({ url, timeout: '200ms' }).send(notification(), send),
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/timed out after 200 ms$/);
  });

  it('stops when the signal aborts, retryable; sends nothing when it already has', async () => {
    const { url, received } = await receiver(() => {});
    const controller = new AbortController();
    const sending = webhookChannel({ url }).send(notification(), { signal: controller.signal });
    while (received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('notifier closed'));
    const aborted = await deliveryError(sending);
    expect(aborted.retryable).toBe(true);
    expect(aborted.message).toMatch(/was aborted$/);

    const before = await deliveryError(
      webhookChannel({ url }).send(notification(), { signal: controller.signal }),
    );
    expect(before.retryable).toBe(true);
    expect(received).toHaveLength(1);
  });

  it('checks its options at construction, never quoting the URL or the secret', () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /options should be an object/],
      [{}, /url is required/],
      [
        { url: 'ftp://files.example/T0KEN' },
        /url should be an http: or https: URL, got a ftp: URL/,
      ],
      [{ url: 'not a url T0KEN' }, /url should be an absolute URL/],
      [{ url: 'https://user:T0KEN@hooks.example/' }, /should not carry credentials/],
      [
        { url: 'https://hooks.example/', secret: 'T0KEN-short' },
        /at least 16 characters long, got 11/,
      ],
      [
        { url: 'https://hooks.example/', headers: { 'X-Vigil-Signature': 'x' } },
        /is set by the channel/,
      ],
      [
        { url: 'https://hooks.example/', headers: { 'content-type': 'text/plain' } },
        /is set by the channel/,
      ],
      [
        { url: 'https://hooks.example/', headers: { Auth: 'T0KEN\r\nX: y' } },
        /without line breaks/,
      ],
      [{ url: 'https://hooks.example/', headers: { 'bad name': 'x' } }, /not a header name/],
      [
        { url: 'https://hooks.example/', maxAlerts: -1 },
        /maxAlerts should be a non-negative integer/,
      ],
      [{ url: 'https://hooks.example/', urll: 'x' }, /unknown option 'urll'/],
    ];
    for (const [options, message] of cases) {
      const error = configurationError(() => webhookChannel(options as { url: string }));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toMatch(/^webhookChannel: /);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('T0KEN');
    }
    const duration = configurationError(() =>
      webhookChannel({ url: 'https://hooks.example/', timeout: 0 }),
    );
    expect(duration.code).toBe('INVALID_DURATION');
  });
});
