import { Registry } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { createMonitoringRouter, type RouteProvider } from '@vigil/http';
import { serveOnLoopback } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AlertEngine,
  alertsRoutes,
  type Channel,
  type Notification,
  Notifier,
} from '../src/index.js';

const TOKEN = 'a-token-of-at-least-32-characters-long';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function serve(engine: AlertEngine, notifier?: Notifier): Promise<string> {
  const provider: RouteProvider = alertsRoutes(engine, { notifier });
  const router = createMonitoringRouter({
    registry: new Registry(),
    routes: [provider],
    token: TOKEN,
  });
  const server = await serveOnLoopback((req, res) => {
    void router.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  cleanups.push(() => server.close());
  return server.url;
}

async function call(url: string, method: string, body?: unknown, token: string | null = TOKEN) {
  const response = await fetch(url, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('alertsRoutes', () => {
  it('lists alerts and rules, and adds, replaces and removes rules at run time (with the token)', async () => {
    const clock = manualClock();
    const registry = new Registry({ clock });
    registry.gauge({ name: 'queue_length', help: 'q' }).set(500);
    const engine = new AlertEngine({ registry, clock, timers: clock });
    const url = await serve(engine);

    const refused = await call(
      `${url}/alerts/rules/jobs`,
      'POST',
      { name: 'Backlog', expr: 'queue_length > 100' },
      null,
    );
    expect(refused.status).toBe(401);
    const added = await call(`${url}/alerts/rules/jobs`, 'POST', {
      name: 'Backlog',
      expr: 'queue_length > 100',
      severity: 'warning',
      annotations: { summary: '{{ $value }} waiting' },
    });
    expect(added).toEqual({ status: 201, body: { added: true } });
    await engine.evaluate();

    const alerts = await call(`${url}/alerts`, 'GET');
    expect(alerts.body).toEqual({
      alerts: [
        {
          labels: { alertname: 'Backlog', severity: 'warning' },
          annotations: { summary: '500 waiting' },
          state: 'firing',
          since: new Date(clock.now()).toISOString(),
          firingSince: new Date(clock.now()).toISOString(),
          value: 500,
        },
      ],
    });
    const rules = await call(`${url}/alerts/rules`, 'GET');
    expect(rules.body).toMatchObject({
      groups: [
        {
          name: 'jobs',
          interval: 15_000,
          rules: [{ name: 'Backlog', health: 'ok', lastError: null }],
        },
      ],
    });

    const bad = await call(`${url}/alerts/rules/jobs/Backlog`, 'PUT', {
      name: 'Backlog',
      expr: 'rate(x[5m:1m]) > 1',
    });
    expect(bad.status).toBe(400);
    expect(bad.body['code']).toBe('PROMQL_UNSUPPORTED');
    const replaced = await call(`${url}/alerts/rules/jobs/Backlog`, 'PUT', {
      name: 'Backlog',
      expr: 'queue_length > 1000',
    });
    expect(replaced).toEqual({ status: 200, body: { replaced: true } });
    await engine.evaluate();
    expect((await call(`${url}/alerts`, 'GET')).body).toEqual({ alerts: [] });
    expect((await call(`${url}/alerts/rules/jobs/Nope`, 'DELETE')).status).toBe(404);
    expect(await call(`${url}/alerts/rules/jobs/Backlog`, 'DELETE')).toEqual({
      status: 200,
      body: { removed: true },
    });
    expect((await call(`${url}/alerts/rules`, 'GET')).body).toEqual({ groups: [] });
    await engine.close();
  });

  it('with a notifier: acknowledge, unacknowledge and resolve alerts, test-fire, and silences', async () => {
    const clock = manualClock();
    const registry = new Registry({ clock });
    registry.gauge({ name: 'queue_length', help: 'q' }).set(500);
    const engine = new AlertEngine({
      registry,
      clock,
      timers: clock,
      metrics: false,
      groups: [
        {
          name: 'jobs',
          rules: [{ name: 'Backlog', expr: 'queue_length > 100', severity: 'warning' }],
        },
      ],
    });
    const sent: Notification[] = [];
    const channel: Channel = { type: 'record', send: async (n) => void sent.push(n) };
    const notifier = new Notifier({
      clock,
      timers: clock,
      route: { receiver: 'team' },
      receivers: { team: channel },
    });
    cleanups.push(() => notifier.close());
    notifier.watch(engine);
    await engine.evaluate();
    const url = await serve(engine, notifier);

    const listed = await call(`${url}/alerts`, 'GET');
    const [alert] = listed.body['alerts'] as {
      id: string;
      acknowledged: unknown;
      silencedBy: string[];
    }[];
    expect(alert).toMatchObject({ acknowledged: null, silencedBy: [], inhibitedBy: null });
    const id = (alert as { id: string }).id;

    expect(
      (await call(`${url}/alerts/${id}/ack`, 'POST', { by: 'ana', comment: 'on it' }, null)).status,
    ).toBe(401);
    expect((await call(`${url}/alerts/${id}/ack`, 'POST', {})).status).toBe(400);
    expect(
      (await call(`${url}/alerts/${id}/ack`, 'POST', { by: 'ana', comment: 'on it' })).body,
    ).toEqual({ acknowledged: true });
    const acked = (await call(`${url}/alerts`, 'GET')).body['alerts'] as {
      acknowledged: unknown;
    }[];
    expect(acked[0]?.acknowledged).toMatchObject({ by: 'ana', comment: 'on it' });
    expect((await call(`${url}/alerts/${id}/unack`, 'POST', {})).body).toEqual({
      acknowledged: false,
    });
    expect((await call(`${url}/alerts/nope/ack`, 'POST', { by: 'ana' })).status).toBe(404);

    const silence = await call(`${url}/silences`, 'POST', {
      matchers: ['alertname="Backlog"'],
      endsAt: new Date(clock.now() + 3_600_000).toISOString(),
      createdBy: 'ana',
      comment: 'deploy',
    });
    expect(silence.status).toBe(201);
    const silenced = (await call(`${url}/alerts`, 'GET')).body['alerts'] as {
      silencedBy: string[];
    }[];
    expect(silenced[0]?.silencedBy).toEqual([silence.body['id']]);
    const bad = await call(`${url}/silences`, 'POST', {
      matchers: ['a=~".*"'],
      endsAt: 1,
      createdBy: 'x',
      comment: 'y',
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'INVALID_OPTION' } });
    expect(((await call(`${url}/silences`, 'GET')).body['silences'] as unknown[]).length).toBe(1);
    expect((await call(`${url}/silences/${silence.body['id']}`, 'DELETE')).body).toEqual({
      expired: true,
    });
    expect((await call(`${url}/silences/${silence.body['id']}`, 'DELETE')).status).toBe(404);

    expect((await call(`${url}/alerts/test`, 'POST', { rule: 'Backlog' })).body).toEqual({
      receivers: ['team'],
    });
    await notifier.idle();
    expect(
      sent.map(
        (n) => `${n.kind} ${n.alerts[0]?.labels['alertname']} ${n.alerts[0]?.labels['severity']}`,
      ),
    ).toContain('test Backlog warning');
    expect(
      (await call(`${url}/alerts/${id}/resolve`, 'POST', { by: 'ana', comment: 'fixed' })).body,
    ).toEqual({ resolved: true });
    expect((await call(`${url}/alerts/${id}/resolve`, 'POST', { by: 'ana' })).status).toBe(404);
  });
});
