import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Gauge, Registry } from '@vigil/core';
import { type ManualClock, manualClock } from '@vigil/core/testing';
import { caught, deferred, freePort, rejection } from '@vigil/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../src/errors.js';
import { AlertEngine, type AlertRuleDefinition, type AlertTransition } from '../src/index.js';
import {
  AlertmanagerClient,
  type PostableAlert,
} from '../src/notify/alertmanager/alertmanager-client.js';
import { forwardToAlertmanager } from '../src/notify/alertmanager/alertmanager-forwarder.js';
import {
  startWebhookReceiver,
  type WebhookNotification,
  type WebhookReceiver,
} from './support/webhook-receiver.js';

const SCRIPT = join(import.meta.dirname, '..', '..', '..', 'scripts', 'alertmanager.sh');
const SECOND = 1_000;
/** Prometheus's defaults: resend every minute; a firing alert's endsAt 4 × that ahead. */
const RESEND = 60 * SECOND;

/** An engine with `rules` over the gauge `queue_length{queue}`, on `clock` if given. */
function queueEngine(rules: AlertRuleDefinition[], clock?: ManualClock) {
  const registry = new Registry(clock === undefined ? {} : { clock });
  const queue: Gauge<'queue'> = registry.gauge({
    name: 'queue_length',
    help: 'Jobs waiting, per queue.',
    labelNames: ['queue'],
  });
  const engine = new AlertEngine({
    registry,
    groups: [{ name: 'queues', rules }],
    evaluationInterval: clock === undefined ? '1s' : '10s',
    ...(clock === undefined ? {} : { clock, timers: clock }),
  });
  const transitions: AlertTransition[] = [];
  engine.on('transition', (transition) => transitions.push(transition));
  return { engine, queue, transitions };
}

const backlog = (name: string, extra: Partial<AlertRuleDefinition> = {}): AlertRuleDefinition => ({
  name,
  expr: 'queue_length > 100',
  severity: 'warning',
  annotations: { summary: '{{ $labels.queue }} has {{ $value }} jobs waiting' },
  ...extra,
});

/** Retries `check` until it passes or `timeout` ms have passed (then fails with its error). */
async function eventually<T>(check: () => Promise<T>, timeout = 10 * SECOND): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('forwardToAlertmanager, with a real Alertmanager', () => {
  let receiver: WebhookReceiver;
  let port: string;
  let configDir: string;
  let url: string;
  let am: AlertmanagerClient;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    port = String(await freePort());
    configDir = mkdtempSync(join(tmpdir(), 'vigil-alertmanager-'));
    const config = join(configDir, 'alertmanager.yml');
    writeFileSync(
      config,
      `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: ${receiver.url}
        send_resolved: true
`,
    );
    url = execFileSync('bash', [SCRIPT, 'start', port, config], { encoding: 'utf8' }).trim();
    am = new AlertmanagerClient({ url });
  });

  afterAll(async () => {
    if (port !== undefined) execFileSync('bash', [SCRIPT, 'stop', port]);
    if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
    await receiver?.close();
  });

  it('answers its status: the version, clustering off, the configuration given', async () => {
    const status = await am.status();
    expect(status.versionInfo.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(status.cluster.status).toBe('disabled');
    expect(status.config.original).toContain(receiver.url);
  });

  it('delivers a firing alert: Alertmanager holds it active with its labels, generatorURL and Prometheus times', async () => {
    const { engine, queue } = queueEngine([backlog('QueueBacklog')]);
    const forwarder = forwardToAlertmanager(engine, {
      url,
      generatorURL: (alert) => `http://vigil.test/alerts/${alert.labels['alertname']}`,
      externalLabels: { service: 'checkout' },
    });
    queue.labels({ queue: 'orders' }).set(150);
    await engine.evaluate();
    await forwarder.close();
    const firedAt = engine.alerts()[0]?.firedAt as number;

    const [held, ...others] = await eventually(async () => {
      const alerts = await am.getAlerts({ filter: ['alertname="QueueBacklog"'] });
      expect(alerts[0]?.status.state).toBe('active');
      return alerts;
    });
    expect(others).toEqual([]);
    expect(held).toMatchObject({
      labels: {
        alertname: 'QueueBacklog',
        queue: 'orders',
        severity: 'warning',
        service: 'checkout',
      },
      annotations: { summary: 'orders has 150 jobs waiting' },
      generatorURL: 'http://vigil.test/alerts/QueueBacklog',
      receivers: [{ name: 'hook' }],
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
    });
    // startsAt: when it fired; endsAt: 4 × max(resend interval 1m, evaluation interval 1s) later.
    expect(Date.parse(held?.startsAt ?? '')).toBe(firedAt);
    expect(Date.parse(held?.endsAt ?? '')).toBe(firedAt + 4 * RESEND);
    await engine.close();
  });

  it('lets Alertmanager group two alerts of one alertname into one webhook notification', async () => {
    const { engine, queue } = queueEngine([backlog('WorkerBacklog')]);
    const forwarder = forwardToAlertmanager(engine, { url });
    queue.labels({ queue: 'emails' }).set(120);
    queue.labels({ queue: 'invoices' }).set(300);
    await engine.evaluate();
    await forwarder.close();

    const ofGroup = (n: WebhookNotification) => n.groupLabels['alertname'] === 'WorkerBacklog';
    const notification = await receiver.waitFor(ofGroup);
    expect(notification).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'hook',
      commonLabels: { alertname: 'WorkerBacklog', severity: 'warning' },
    });
    expect(notification.alerts.map((alert) => alert.labels['queue']).sort()).toEqual([
      'emails',
      'invoices',
    ]);
    expect(receiver.notifications.filter(ofGroup)).toHaveLength(1);
    await engine.close();
  });

  it('lets a silence made through the API suppress an alert: no webhook until it is expired', async () => {
    const silenceId = await am.createSilence({
      matchers: [{ name: 'alertname', value: 'DiskFull' }],
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 3_600_000),
      createdBy: 'vigil tests',
      comment: 'disk replacement',
    });
    const { engine, queue } = queueEngine([
      backlog('DiskFull', { expr: 'queue_length{queue="disk"} > 100' }),
      backlog('DiskCanary', { expr: 'queue_length{queue="canary"} > 100' }),
    ]);
    const forwarder = forwardToAlertmanager(engine, { url });
    queue.labels({ queue: 'disk' }).set(500);
    await engine.evaluate();
    await forwarder.flush();

    const [silenced] = await am.getAlerts({ filter: ['alertname="DiskFull"'] });
    expect(silenced?.status).toEqual({
      state: 'suppressed',
      silencedBy: [silenceId],
      inhibitedBy: [],
    });
    // A canary alert sent after it, to the same route: once its notification is here, the
    // silenced alert's group (made earlier, with the same group_wait) has been flushed too.
    queue.labels({ queue: 'canary' }).set(500);
    await engine.evaluate();
    await forwarder.flush();
    await receiver.waitFor((n) => n.groupLabels['alertname'] === 'DiskCanary');
    const aboutDisk = (n: WebhookNotification) => n.groupLabels['alertname'] === 'DiskFull';
    expect(receiver.notifications.filter(aboutDisk)).toEqual([]);

    await am.expireSilence(silenceId);
    const [expired] = await am.getSilences({ filter: ['alertname="DiskFull"'] });
    expect(expired).toMatchObject({ id: silenceId, status: { state: 'expired' } });
    // Unsilenced, the alert (still firing in Alertmanager) is notified at the next group interval.
    await receiver.waitFor(aboutDisk);
    await forwarder.close();
    await engine.close();
  });

  it('resolves an alert: endsAt is when it resolved, and the receiver gets a resolved notification', async () => {
    const { engine, queue, transitions } = queueEngine([backlog('QueueStuck')]);
    const forwarder = forwardToAlertmanager(engine, { url });
    const ofGroup = (n: WebhookNotification) => n.groupLabels['alertname'] === 'QueueStuck';
    queue.labels({ queue: 'payments' }).set(150);
    await engine.evaluate();
    await forwarder.flush();
    await receiver.waitFor((n) => ofGroup(n) && n.status === 'firing');

    queue.labels({ queue: 'payments' }).set(0);
    await engine.evaluate();
    await forwarder.close();
    const resolvedAt = transitions.at(-1)?.alert.resolvedAt as number;
    expect(transitions.at(-1)?.to).toBe('inactive');

    const resolved = await receiver.waitFor((n) => ofGroup(n) && n.status === 'resolved');
    expect(resolved.alerts).toHaveLength(1);
    expect(resolved.alerts[0]).toMatchObject({
      status: 'resolved',
      labels: { alertname: 'QueueStuck', queue: 'payments' },
    });
    expect(Date.parse(resolved.alerts[0]?.endsAt ?? '')).toBe(resolvedAt);
    expect(resolvedAt).toBeLessThanOrEqual(Date.now());
    // Alertmanager lists no resolved alert.
    expect(await am.getAlerts({ filter: ['alertname="QueueStuck"'] })).toEqual([]);
    await engine.close();
  });
});

/** A stand-in Alertmanager on 127.0.0.1: keeps each POST /api/v2/alerts, answers `status`. */
async function fakeAlertmanager(answer: (request: number) => number | Promise<number> = () => 200) {
  const posts: PostableAlert[][] = [];
  const headers: IncomingHttpHeaders[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      headers.push(request.headers);
      posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8') || '[]'));
      const status = await answer(posts.length);
      inFlight--;
      const body = status === 200 ? '' : JSON.stringify(`failed with ${status}`);
      response.writeHead(status, { 'content-type': 'application/json', 'retry-after': '2' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    headers,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `queue state` of each alert of a post: resolved when its endsAt is not after `now`. */
function summary(post: readonly PostableAlert[], now: number): string[] {
  return post.map((alert) => {
    const resolved = Date.parse(alert.endsAt ?? '') <= now;
    return `${alert.labels['queue']} ${resolved ? 'resolved' : 'firing'}`;
  });
}

describe('forwardToAlertmanager, sending as Prometheus does (a stand-in Alertmanager)', () => {
  it('sends at most 64 alerts per request, each firing alert once', async () => {
    const server = await fakeAlertmanager();
    const clock = manualClock();
    const { engine, queue } = queueEngine([backlog('QueueBacklog')], clock);
    const forwarder = forwardToAlertmanager(engine, { url: server.url });
    for (let i = 0; i < 150; i++) queue.labels({ queue: `q${i}` }).set(200);
    await engine.evaluate();
    await forwarder.close();
    expect(server.posts.map((post) => post.length)).toEqual([64, 64, 22]);
    const queues = server.posts.flat().map((alert) => alert.labels['queue']);
    expect(new Set(queues).size).toBe(150);
    await server.close();
  });

  it('never sends pending alerts, resends each every resendInterval, and sends a change of state at once', async () => {
    const server = await fakeAlertmanager();
    const clock = manualClock();
    const { engine, queue } = queueEngine([backlog('QueueBacklog', { for: '20s' })], clock);
    const forwarder = forwardToAlertmanager(engine, { url: server.url, resendInterval: '1m' });
    const timeline: string[] = [];
    for (let t = 0; t <= 150; t += 10) {
      if (t === 0) queue.labels({ queue: 'a' }).set(150);
      if (t === 30) queue.labels({ queue: 'b' }).set(150);
      if (t === 90) queue.labels({ queue: 'a' }).set(0);
      const before = server.posts.length;
      await engine.evaluate();
      await forwarder.flush();
      for (const post of server.posts.slice(before)) {
        timeline.push(`${t}s ${summary(post, clock.now()).sort().join(', ')}`);
      }
      clock.advance(10 * SECOND);
    }
    expect(timeline).toEqual([
      '20s a firing', // pending at 0s and 10s: not sent
      '50s b firing', // a was sent 30 s ago: not yet
      '80s a firing', // 1m after a was last sent
      '90s a resolved', // resolved: at once
      '110s b firing',
      '150s a resolved', // resolved alerts are resent too, for their 15 minutes
    ]);
    await forwarder.close();
    await server.close();
  });

  it("sets Prometheus's times: startsAt when it fired, endsAt 4 × max(resend, evaluation interval) ahead, or when it resolved", async () => {
    const server = await fakeAlertmanager();
    const clock = manualClock();
    const { engine, queue, transitions } = queueEngine([backlog('QueueBacklog')], clock);
    // The engine's interval (10s) is shorter than resendInterval: 4 × 30s.
    const forwarder = forwardToAlertmanager(engine, { url: server.url, resendInterval: '30s' });
    queue.labels({ queue: 'a' }).set(150);
    await engine.evaluate();
    const firedAt = clock.now();
    clock.advance(10 * SECOND);
    queue.labels({ queue: 'a' }).set(0);
    await engine.evaluate();
    await forwarder.close();
    const resolvedAt = transitions.at(-1)?.alert.resolvedAt;
    expect(resolvedAt).toBe(firedAt + 10 * SECOND);
    expect(server.posts).toEqual([
      [
        {
          labels: { alertname: 'QueueBacklog', queue: 'a', severity: 'warning' },
          annotations: { summary: 'a has 150 jobs waiting' },
          startsAt: new Date(firedAt).toISOString(),
          endsAt: new Date(firedAt + 4 * 30 * SECOND).toISOString(),
        },
      ],
      [
        expect.objectContaining({
          startsAt: new Date(firedAt).toISOString(),
          endsAt: new Date(resolvedAt as number).toISOString(),
        }),
      ],
    ]);
  });

  it('reports a 503 to onError as a retryable DeliveryError, and sends the alerts again next cycle', async () => {
    const server = await fakeAlertmanager((request) => (request === 1 ? 503 : 200));
    const clock = manualClock();
    const { engine, queue } = queueEngine([backlog('QueueBacklog')], clock);
    const errors: unknown[] = [];
    const forwarder = forwardToAlertmanager(engine, {
      url: server.url,
      onError: (error, context) => errors.push({ error, operation: context.operation }),
    });
    queue.labels({ queue: 'a' }).set(150);
    await engine.evaluate();
    await forwarder.flush();
    expect(errors).toHaveLength(1);
    const { error, operation } = errors[0] as { error: DeliveryError; operation: string };
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code: 'DELIVERY_FAILED', retryable: true, status: 503 });
    expect(error.retryAfter).toBe(2_000);
    expect(error.message).toContain('answered 503: failed with 503');
    expect(operation).toBe(`send alerts to ${server.url}`);

    clock.advance(10 * SECOND); // well within resendInterval
    await engine.evaluate();
    await forwarder.close();
    expect(server.posts.map((post) => summary(post, clock.now()))).toEqual([
      ['a firing'],
      ['a firing'],
    ]);
    await server.close();
  });

  it('reports a 400 as not retryable: the alerts wait for their next resend', async () => {
    const server = await fakeAlertmanager((request) => (request === 1 ? 400 : 200));
    const clock = manualClock();
    const { engine, queue } = queueEngine([backlog('QueueBacklog')], clock);
    const errors: unknown[] = [];
    const forwarder = forwardToAlertmanager(engine, {
      url: server.url,
      onError: (error) => errors.push(error),
    });
    queue.labels({ queue: 'a' }).set(150);
    for (let t = 0; t <= 60; t += 10) {
      await engine.evaluate();
      await forwarder.flush();
      clock.advance(10 * SECOND);
    }
    expect(errors).toMatchObject([{ code: 'DELIVERY_FAILED', retryable: false, status: 400 }]);
    expect(server.posts).toHaveLength(2); // at 0s (refused) and at 60s
    await forwarder.close();
    await server.close();
  });

  it('never overlaps requests: alerts due while one is in flight go in the next', async () => {
    const held = deferred<number>();
    const server = await fakeAlertmanager((request) => (request === 1 ? held.promise : 200));
    const clock = manualClock();
    const { engine, queue } = queueEngine([backlog('QueueBacklog')], clock);
    const forwarder = forwardToAlertmanager(engine, { url: server.url });
    queue.labels({ queue: 'a' }).set(150);
    await engine.evaluate();
    for (const name of ['b', 'c']) {
      clock.advance(10 * SECOND);
      queue.labels({ queue: name }).set(150);
      await engine.evaluate();
    }
    await eventually(async () => expect(server.posts).toHaveLength(1));
    held.resolve(200);
    await forwarder.close();
    expect(server.posts.map((post) => summary(post, clock.now()).sort())).toEqual([
      ['a firing'],
      ['b firing', 'c firing'],
    ]);
    expect(server.maxInFlight()).toBe(1);
    await server.close();
  });

  it('sends to every Alertmanager of urls; one failing holds the other back in nothing', async () => {
    const up = await fakeAlertmanager();
    const down = await fakeAlertmanager((request) => (request === 1 ? 500 : 200));
    const clock = manualClock();
    const { engine, queue } = queueEngine([backlog('QueueBacklog')], clock);
    const errors: unknown[] = [];
    const forwarder = forwardToAlertmanager(engine, {
      urls: [up.url, down.url],
      onError: (error) => errors.push(error),
    });
    queue.labels({ queue: 'a' }).set(150);
    await engine.evaluate();
    clock.advance(10 * SECOND);
    await forwarder.flush();
    await engine.evaluate();
    await forwarder.close();
    expect(up.posts.map((post) => summary(post, clock.now()))).toEqual([['a firing']]);
    expect(down.posts.map((post) => summary(post, clock.now()))).toEqual([
      ['a firing'],
      ['a firing'],
    ]);
    expect(errors).toMatchObject([{ retryable: true, status: 500 }]);
    await up.close();
    await down.close();
  });

  it('stops listening at close, after sending what was queued', async () => {
    const held = deferred<number>();
    const server = await fakeAlertmanager(() => held.promise);
    const clock = manualClock();
    const { engine, queue } = queueEngine([backlog('QueueBacklog')], clock);
    const forwarder = forwardToAlertmanager(engine, { url: server.url });
    queue.labels({ queue: 'a' }).set(150);
    await engine.evaluate();
    let closed = false;
    const closing = forwarder.close().then(() => {
      closed = true;
    });
    await eventually(async () => expect(server.posts).toHaveLength(1));
    expect(closed).toBe(false);
    held.resolve(200);
    await closing;
    queue.labels({ queue: 'b' }).set(150);
    await engine.evaluate();
    expect(server.posts).toHaveLength(1);
    await server.close();
  });
});

describe('AlertmanagerClient', () => {
  it('sends the headers and basic authentication given, and keeps the password out of errors', async () => {
    const server = await fakeAlertmanager(() => 401);
    const client = new AlertmanagerClient({
      url: `${server.url}/`,
      headers: { 'X-Scope-OrgID': 'tenant-1' },
      basicAuth: { username: 'vigil', password: 's3cret-pw' },
    });
    const error = await rejection(client.postAlerts([{ labels: { alertname: 'Test' } }]));
    expect(server.headers[0]).toMatchObject({
      'x-scope-orgid': 'tenant-1',
      authorization: `Basic ${Buffer.from('vigil:s3cret-pw').toString('base64')}`,
      'content-type': 'application/json',
    });
    expect(error).toMatchObject({ code: 'DELIVERY_FAILED', retryable: false, status: 401 });
    expect((error as Error).message).toBe(
      `Alertmanager ${server.url}: POST /api/v2/alerts answered 401: failed with 401`,
    );
    expect((error as Error).message).not.toContain('s3cret');
    await server.close();
  });

  it('throws a retryable DeliveryError when nothing listens, or when the answer is late', async () => {
    const refused = new AlertmanagerClient({ url: `http://127.0.0.1:${await freePort()}` });
    expect(await rejection(refused.status())).toMatchObject({
      code: 'DELIVERY_FAILED',
      retryable: true,
      status: undefined,
      message: expect.stringMatching(/GET \/api\/v2\/status failed: .*ECONNREFUSED/),
    });
    const never = deferred<number>();
    const server = await fakeAlertmanager(() => never.promise);
    const late = new AlertmanagerClient({ url: server.url, timeout: '200ms' });
    expect(await rejection(late.postAlerts([{ labels: { alertname: 'Test' } }]))).toMatchObject({
      retryable: true,
      message: expect.stringContaining('did not answer within 200 ms'),
    });
    never.resolve(200);
    await server.close();
  });

  it('refuses bad options with INVALID_OPTION, naming the field, never echoing a password', () => {
    const cases: unknown[] = [
      undefined,
      {},
      { url: 'ftp://127.0.0.1:9093' },
      { url: 'not a url' },
      { url: 'http://127.0.0.1:9093/?x=1' },
      { url: 'http://admin:hunter2@127.0.0.1:9093' },
      { url: 'http://127.0.0.1:9093', headers: { 'x-token': 42 } },
      { url: 'http://127.0.0.1:9093', basicAuth: { username: 'admin' } },
      { url: 'http://127.0.0.1:9093', retries: 3 },
    ];
    for (const options of cases) {
      const error = caught(
        () =>
          new AlertmanagerClient(options as ConstructorParameters<typeof AlertmanagerClient>[0]),
      );
      expect(error).toMatchObject({ code: 'INVALID_OPTION' });
      expect((error as Error).message).toMatch(/^AlertmanagerClient: /);
      expect((error as Error).message).not.toContain('hunter2');
    }
    expect(
      caught(() => new AlertmanagerClient({ url: 'http://127.0.0.1', timeout: 0 })),
    ).toMatchObject({
      code: 'INVALID_DURATION',
    });
  });
});

describe('forwardToAlertmanager options', () => {
  it('refuses bad options with INVALID_OPTION (INVALID_DURATION for a duration)', () => {
    const { engine } = queueEngine([backlog('QueueBacklog')]);
    const client = new AlertmanagerClient({ url: 'http://127.0.0.1:9093' });
    const invalid: unknown[] = [
      {},
      { url: 'http://127.0.0.1:9093', client },
      { urls: [] },
      { urls: ['http://127.0.0.1:9093', 'mailto:ops@example.com'] },
      { url: 'http://user:hunter2@127.0.0.1:9093' },
      { client, timeout: '5s' },
      { client: {} },
      { url: 'http://127.0.0.1:9093', generatorURL: 42 },
      { url: 'http://127.0.0.1:9093', externalLabels: { cluster: 1 } },
      { url: 'http://127.0.0.1:9093', onError: 'log' },
      { url: 'http://127.0.0.1:9093', resendDelay: '1m' },
    ];
    for (const options of invalid) {
      const error = caught(() =>
        forwardToAlertmanager(engine, options as Parameters<typeof forwardToAlertmanager>[1]),
      );
      expect(error).toMatchObject({ code: 'INVALID_OPTION' });
      expect((error as Error).message).toMatch(/^forwardToAlertmanager: /);
      expect((error as Error).message).not.toContain('hunter2');
    }
    expect(
      caught(() =>
        forwardToAlertmanager(engine, { url: 'http://127.0.0.1', resendInterval: 'soon' }),
      ),
    ).toMatchObject({ code: 'INVALID_DURATION' });
    expect(
      caught(() => forwardToAlertmanager({} as AlertEngine, { url: 'http://127.0.0.1:9093' })),
    ).toMatchObject({ code: 'INVALID_OPTION' });
  });
});
