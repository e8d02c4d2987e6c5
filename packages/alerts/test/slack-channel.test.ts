import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { ConfigurationError } from '@vigil/core';
import { caught, rejection, serveOnLoopback } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../src/errors.js';
import { slackChannel } from '../src/notify/channels/slack-channel.js';
import type { Notification, NotifiedAlert } from '../src/notify/notification.js';

// Slack webhook URLs carry their secret in the path.
const PATH = '/services/T000/B000/XXXXSECRETXXXX';

interface Received {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface SlackSection {
  type: string;
  text: { type: string; text: string };
  fields?: { type: string; text: string }[];
  accessory?: { type: string; text: { type: string; text: string }; url: string };
}

interface SlackMessage {
  text: string;
  channel?: string;
  username?: string;
  blocks: { type: string; text: { type: string; text: string } }[];
  attachments: { color: string; blocks: SlackSection[] }[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A local stand-in for Slack: records each request, then answers as `answer` says ('ok'). */
async function slack(
  answer: (res: ServerResponse) => void = (res) => res.writeHead(200).end('ok'),
): Promise<{ host: string; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = await serveOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ url: req.url ?? '', headers: req.headers, body });
      answer(res);
    });
  });
  cleanups.push(() => server.close());
  const host = server.host;
  return { host, url: `http://${host}${PATH}`, received };
}

function alert(overrides: Partial<NotifiedAlert> = {}): NotifiedAlert {
  return {
    status: 'firing',
    labels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical' },
    annotations: { summary: 'Errors above 5 %', description: 'api answers 7 % 5xx' },
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
    groupLabels: { service: 'api', alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate', service: 'api', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://vigil.example',
    groupKey: '{}:{alertname="HighErrorRate",service="api"}',
    truncatedAlerts: 0,
    ...overrides,
  };
}

const send = { signal: new AbortController().signal };

/** Sends `sent` through a channel to a local Slack and returns the message Slack received. */
async function delivered(sent: Notification): Promise<SlackMessage> {
  const { url, received } = await slack();
  await slackChannel({ webhookUrl: url }).send(sent, send);
  return JSON.parse(received[0]?.body ?? '') as SlackMessage;
}

/** The alert sections of a message. */
async function sections(sent: Notification): Promise<SlackSection[]> {
  return (await delivered(sent)).attachments[0]?.blocks ?? [];
}

async function deliveryError(promise: Promise<void>): Promise<DeliveryError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(DeliveryError);
  expect((error as DeliveryError).message).not.toMatch(/SECRET|services|http:/);
  return error as DeliveryError;
}

describe('slackChannel', () => {
  it('posts a text fallback, a header and a coloured attachment with a section per alert', async () => {
    const { url, received } = await slack();
    const channel = slackChannel({ webhookUrl: url, channel: '#ops', username: 'Vigil' });
    expect(channel.type).toBe('slack');
    const second = alert({
      labels: { alertname: 'HighErrorRate', service: 'api', severity: 'warning', route: '/b' },
      annotations: { summary: 'Errors on /b' },
      generatorURL: '',
    });

    await channel.send(notification({ alerts: [alert(), second] }), send);

    expect(received[0]?.url).toBe(PATH);
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.headers['user-agent']).toBe('vigil-alerts');
    expect(JSON.parse(received[0]?.body ?? '')).toStrictEqual({
      channel: '#ops',
      username: 'Vigil',
      text: '[FIRING:2] HighErrorRate api',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '[FIRING:2] HighErrorRate api' } },
      ],
      attachments: [
        {
          color: '#d00000',
          blocks: [
            {
              type: 'section',
              text: { type: 'mrkdwn', text: '*Errors above 5 %*\napi answers 7 % 5xx' },
              fields: [
                { type: 'mrkdwn', text: '*alertname*\nHighErrorRate' },
                { type: 'mrkdwn', text: '*service*\napi' },
                { type: 'mrkdwn', text: '*severity*\ncritical' },
              ],
              accessory: {
                type: 'button',
                text: { type: 'plain_text', text: 'View alert' },
                url: 'http://vigil.example/alerts/HighErrorRate',
              },
            },
            {
              // No link without a generatorURL.
              type: 'section',
              text: { type: 'mrkdwn', text: '*Errors on /b*' },
              fields: [
                { type: 'mrkdwn', text: '*alertname*\nHighErrorRate' },
                { type: 'mrkdwn', text: '*route*\n/b' },
                { type: 'mrkdwn', text: '*service*\napi' },
                { type: 'mrkdwn', text: '*severity*\nwarning' },
              ],
            },
          ],
        },
      ],
    });
  });

  it('titles a resolved group [RESOLVED], and marks resolved alerts of a firing group', async () => {
    const resolved = alert({ status: 'resolved', endsAt: '2026-01-01T00:05:00.000Z' });
    const allResolved = await delivered(notification({ status: 'resolved', alerts: [resolved] }));
    expect(allResolved.text).toBe('[RESOLVED] HighErrorRate api');
    expect(allResolved.attachments[0]?.blocks[0]?.text.text).toBe(
      '*Errors above 5 %*\napi answers 7 % 5xx',
    );

    const mixed = await delivered(notification({ alerts: [alert(), resolved] }));
    expect(mixed.text).toBe('[FIRING:1] HighErrorRate api');
    expect(mixed.attachments[0]?.blocks[1]?.text.text).toBe(
      '*Errors above 5 %* (resolved)\napi answers 7 % 5xx',
    );
  });

  it('colours the bar by the most severe firing alert, green once resolved', async () => {
    const colorOf = async (sent: Notification) => (await delivered(sent)).attachments[0]?.color;
    const firing = (...severities: (string | undefined)[]) =>
      notification({
        alerts: severities.map((severity) =>
          alert({
            labels: severity === undefined ? { alertname: 'A' } : { alertname: 'A', severity },
          }),
        ),
      });

    expect(await colorOf(firing('critical'))).toBe('#d00000');
    expect(await colorOf(firing('error'))).toBe('#e8590c');
    expect(await colorOf(firing('warning'))).toBe('#f2c744');
    expect(await colorOf(firing('info'))).toBe('#2196f3');
    expect(await colorOf(firing('info', 'error', 'warning'))).toBe('#e8590c');
    // Without a known severity, red: Alertmanager's `danger`.
    expect(await colorOf(firing(undefined))).toBe('#d00000');
    expect(await colorOf(firing('page-someone'))).toBe('#d00000');
    // A resolved alert's severity no longer counts.
    const resolvedCritical = alert({ status: 'resolved' });
    const warning = alert({ labels: { alertname: 'A', severity: 'warning' } });
    expect(await colorOf(notification({ alerts: [resolvedCritical, warning] }))).toBe('#f2c744');
    expect(await colorOf(notification({ status: 'resolved', alerts: [resolvedCritical] }))).toBe(
      '#2eb886',
    );
  });

  it('summarises an alert by its summary, else its description, else its name', async () => {
    const texts = await sections(
      notification({
        alerts: [
          alert({ annotations: { summary: 'The summary', description: 'The description' } }),
          alert({ annotations: { description: 'Only a description' } }),
          alert({ annotations: { summary: '', runbook: 'http://runbooks/1' } }),
          alert({ labels: {}, annotations: {} }),
        ],
      }),
    );
    expect(texts.map((section) => section.text.text)).toEqual([
      '*The summary*\nThe description',
      '*Only a description*',
      '*HighErrorRate*',
      '*alert*',
    ]);
    // A section without labels has no fields, which Slack would refuse empty.
    expect(texts[3]).not.toHaveProperty('fields');
  });

  it('escapes mrkdwn, so a label cannot inject a link', async () => {
    const message = await delivered(
      notification({
        groupLabels: { alertname: 'A&B' },
        alerts: [
          alert({
            labels: { alertname: 'A&B', target: '<https://evil.example|click>' },
            annotations: { summary: 'x < y & y > z' },
          }),
        ],
      }),
    );
    expect(message.text).toBe('[FIRING:1] A&amp;B');
    // Plain text is shown as is.
    expect(message.blocks[0]?.text.text).toBe('[FIRING:1] A&B');
    const section = message.attachments[0]?.blocks[0];
    expect(section?.text.text).toBe('*x &lt; y &amp; y &gt; z*');
    expect(section?.fields?.[1]?.text).toBe('*target*\n&lt;https://evil.example|click&gt;');
  });

  it("keeps within Block Kit's limits: 10 alerts listed, the rest counted, long texts cut", async () => {
    const many = Array.from({ length: 25 }, (_, i) => alert({ fingerprint: `f${i}` }));
    const blocks = await sections(notification({ alerts: many, truncatedAlerts: 5 }));
    expect(blocks).toHaveLength(11);
    expect(blocks.slice(0, 10).every((block) => block.type === 'section')).toBe(true);
    expect(blocks[10]).toStrictEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '_and 20 more alerts_' }],
    });
    const oneMore = await sections(notification({ alerts: many.slice(0, 11) }));
    expect(oneMore[10]).toMatchObject({ elements: [{ text: '_and 1 more alert_' }] });

    const labels = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [
        `label_${String(i).padStart(2, '0')}`,
        'v'.repeat(2500),
      ]),
    );
    const long = await delivered(
      notification({
        groupLabels: { alertname: 'N'.repeat(400) },
        alerts: [
          alert({
            labels: { alertname: 'Long', ...labels },
            annotations: { summary: 'S'.repeat(5000), description: '&'.repeat(5000) },
            generatorURL: `http://vigil.example/${'p'.repeat(3000)}`,
          }),
        ],
      }),
    );
    expect(long.blocks[0]?.text.text).toHaveLength(150);
    expect(long.blocks[0]?.text.text.endsWith('…')).toBe(true);
    const section = long.attachments[0]?.blocks[0] as SlackSection;
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    expect(section.text.text).toMatch(/^\*S{499}…\*\n(&amp;)+…$/);
    expect(section.fields).toHaveLength(10);
    expect(section.fields?.every((field) => field.text.length <= 2000)).toBe(true);
    expect(section.fields?.[9]?.text).toBe('_and 4 more labels_');
    // A link longer than Slack takes is left out rather than refused.
    expect(section).not.toHaveProperty('accessory');
  });

  it("Slack's refusals: no_service (404) and invalid_payload (400) are final, named by host only", async () => {
    const { host, url } = await slack((res) => res.writeHead(404).end('no_service'));
    const gone = await deliveryError(slackChannel({ webhookUrl: url }).send(notification(), send));
    expect(gone).toMatchObject({ retryable: false, status: 404 });
    expect(gone.message).toBe(`slack to ${host} answered 404 (no_service)`);

    const { url: invalid } = await slack((res) => res.writeHead(400).end('invalid_payload'));
    const refused = await deliveryError(
      slackChannel({ webhookUrl: invalid }).send(notification(), send),
    );
    expect(refused).toMatchObject({ retryable: false, status: 400 });
    expect(refused.message).toMatch(/answered 400 \(invalid_payload\)$/);
  });

  it('rate limited (429 with Retry-After) and 5xx are retryable; free-text answers are not quoted', async () => {
    const { url } = await slack((res) =>
      res.writeHead(429, { 'retry-after': '3' }).end('rate_limited'),
    );
    const limited = await deliveryError(
      slackChannel({ webhookUrl: url }).send(notification(), send),
    );
    expect(limited).toMatchObject({ retryable: true, status: 429, retryAfter: 3000 });

    const { url: failing } = await slack((res) =>
      res.writeHead(500).end('<html>Internal error for XXXXSECRETXXXX</html>'),
    );
    const failed = await deliveryError(
      slackChannel({ webhookUrl: failing }).send(notification(), send),
    );
    expect(failed).toMatchObject({ retryable: true, status: 500 });
    expect(failed.message).toMatch(/answered 500$/);
  });

  it('gives up after its timeout, retryable', async () => {
    const { url } = await slack(() => {});
    const started = performance.now();
    const error = await deliveryError(
      slackChannel({ webhookUrl: url, timeout: '200ms' }).send(notification(), send),
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/timed out after 200 ms$/);
  });

  it('takes https:, and http: on loopback only; never quotes the URL', () => {
    expect(slackChannel({ webhookUrl: `https://hooks.slack.com${PATH}` }).type).toBe('slack');
    expect(slackChannel({ webhookUrl: `http://localhost:3000${PATH}` }).type).toBe('slack');
    expect(slackChannel({ webhookUrl: `http://[::1]:3000${PATH}` }).type).toBe('slack');
    const cases: [unknown, RegExp][] = [
      [{}, /webhookUrl is required/],
      [
        { webhookUrl: `http://hooks.slack.com${PATH}` },
        /should be an https: URL .* got an http: URL to hooks.slack.com$/,
      ],
      [{ webhookUrl: `ftp://hooks.slack.com${PATH}` }, /got a ftp: URL/],
      [{ webhookUrl: `hooks.slack.com${PATH}` }, /should be an absolute URL/],
      [
        { webhookUrl: `https://hooks.slack.com${PATH}`, channel: '' },
        /channel should be a non-empty string/,
      ],
      [{ webhookUrl: `https://hooks.slack.com${PATH}`, color: 'red' }, /unknown option 'color'/],
    ];
    for (const [options, message] of cases) {
      const error = caught(() => slackChannel(options as { webhookUrl: string }));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).code).toBe('INVALID_OPTION');
      expect((error as ConfigurationError).message).toMatch(message);
      expect((error as ConfigurationError).message).not.toContain('SECRET');
    }
  });
});
