import { Registry } from '@vigil/core';
import { MANUAL_CLOCK_EPOCH, manualClock } from '@vigil/core/testing';
import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import {
  AlertEngine,
  type Channel,
  DeliveryError,
  Notifier,
  type NotifierOptions,
} from '../src/index.js';
import {
  closeAfterTest,
  firing,
  MINUTE,
  pass,
  recorder,
  resolved,
  SECOND,
  setup,
  summary,
} from './support/notifier-fixtures.js';

describe('Notifier: routing', () => {
  it('sends each alert down the first matching route, and on with continue', async () => {
    const team = recorder();
    const pager = recorder();
    const audit = recorder();
    const { clock, notifier } = setup({
      route: {
        receiver: 'team',
        groupBy: ['alertname'],
        groupWait: '10s',
        routes: [
          { matchers: ['severity="critical"'], receiver: 'audit', continue: true },
          { matchers: ['severity=~"critical|error"'], receiver: 'pager' },
          { matchers: ['severity="critical"'], receiver: 'team' },
        ],
      },
      receivers: { team: team.channel, pager: pager.channel, audit: audit.channel },
    });
    const now = clock.now();
    notifier.ingest(
      [
        firing({ alertname: 'Down', severity: 'critical' }, now),
        firing({ alertname: 'Slow', severity: 'warning' }, now),
        firing({ alertname: 'Errors', severity: 'error' }, now),
      ],
      now,
    );
    await pass(clock, notifier, 10 * SECOND);
    expect(audit.sent.map(summary)).toEqual(['audit firing [Down:firing]']);
    expect(pager.sent.map(summary).sort()).toEqual([
      'pager firing [Down:firing]',
      'pager firing [Errors:firing]',
    ]);
    expect(team.sent.map(summary)).toEqual(['team firing [Slow:firing]']);
  });

  it('checks the tree at construction: unknown receivers, matchers on the root, bad matchers', () => {
    const { channel } = recorder();
    const make = (route: NotifierOptions['route']) => () =>
      new Notifier({ route, receivers: { team: channel } });
    expect(caught(make({ receiver: 'nobody' }))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(caught(make({ receiver: 'team', matchers: ['a="b"'] }))).toMatchObject({
      code: 'INVALID_OPTION',
    });
    expect(
      caught(make({ receiver: 'team', routes: [{ matchers: ['not a matcher'] }] })),
    ).toMatchObject({
      code: 'INVALID_OPTION',
    });
    expect(caught(make({ receiver: 'team', groupBy: ['...', 'a'] }))).toMatchObject({
      code: 'INVALID_OPTION',
    });
  });
});

describe('Notifier: grouping', () => {
  it('waits groupWait for a group, sends it once, then changes every groupInterval, repeats after repeatInterval', async () => {
    const team = recorder();
    const { clock, notifier } = setup({
      route: {
        receiver: 'team',
        groupBy: ['alertname'],
        groupWait: '30s',
        groupInterval: '5m',
        repeatInterval: '1h',
      },
      receivers: { team: team.channel },
    });
    const a = firing({ alertname: 'Down', instance: 'a' }, clock.now());
    notifier.ingest([a], clock.now());
    await pass(clock, notifier, 10 * SECOND);
    const b = firing({ alertname: 'Down', instance: 'b' }, clock.now());
    notifier.ingest([a, b], clock.now());
    await pass(clock, notifier, 20 * SECOND);
    expect(team.sent.map(summary)).toEqual(['team firing [Down@a:firing Down@b:firing]']);
    expect(team.sent[0]).toMatchObject({
      groupLabels: { alertname: 'Down' },
      commonLabels: { alertname: 'Down' },
      commonAnnotations: { summary: 'Down fires' },
      groupKey: '{}:{alertname="Down"}',
    });
    // A third alert waits for the group interval (5 minutes after the first notification).
    const c = firing({ alertname: 'Down', instance: 'c' }, clock.now());
    notifier.ingest([a, b, c], clock.now());
    await pass(clock, notifier, 4 * MINUTE);
    expect(team.sent).toHaveLength(1);
    await pass(clock, notifier, MINUTE);
    expect(team.sent.map(summary).at(-1)).toBe(
      'team firing [Down@a:firing Down@b:firing Down@c:firing]',
    );
    // Nothing changes: the next one is the repeat, an hour after the last.
    await pass(clock, notifier, 55 * MINUTE);
    expect(team.sent).toHaveLength(2);
    await pass(clock, notifier, 5 * MINUTE);
    expect(team.sent).toHaveLength(3);
  });

  it('groups by every label with ..., and sends resolved notifications unless sendResolved is false', async () => {
    const loud = recorder();
    const quiet = recorder();
    const { clock, notifier } = setup({
      route: {
        receiver: 'loud',
        groupBy: ['...'],
        groupWait: '0s',
        groupInterval: '1m',
        routes: [{ matchers: ['team="quiet"'], receiver: 'quiet' }],
      },
      receivers: { loud: loud.channel, quiet: { channels: [quiet.channel], sendResolved: false } },
    });
    const x = firing({ alertname: 'X', instance: '1' }, clock.now());
    const y = firing({ alertname: 'X', instance: '2' }, clock.now());
    const q = firing({ alertname: 'Q', team: 'quiet' }, clock.now());
    notifier.ingest([x, y, q], clock.now());
    await pass(clock, notifier, SECOND);
    expect(loud.sent.map(summary).sort()).toEqual([
      'loud firing [X@1:firing]',
      'loud firing [X@2:firing]',
    ]);
    notifier.ingest([resolved(x, clock.now()), y, resolved(q, clock.now())], clock.now());
    await pass(clock, notifier, MINUTE);
    expect(loud.sent.map(summary).at(-1)).toBe('loud resolved [X@1:resolved]');
    expect(loud.sent.at(-1)?.alerts[0]?.endsAt).not.toBe('0001-01-01T00:00:00Z');
    expect(quiet.sent.map(summary)).toEqual(['quiet firing [Q:firing]']);
    // Resolved and notified, the alert's group is gone.
    expect(notifier.groups().map((g) => g.labels)).toEqual([{ alertname: 'X', instance: '2' }]);
  });
});

describe('Notifier: inhibition and silences', () => {
  it('mutes a target while a source with equal labels fires, as Alertmanager does', async () => {
    const team = recorder();
    const { clock, notifier } = setup({
      route: { receiver: 'team', groupBy: ['...'], groupWait: '0s', groupInterval: '1m' },
      receivers: { team: team.channel },
      inhibitRules: [
        {
          sourceMatchers: ['severity="critical"'],
          targetMatchers: ['severity="warning"'],
          equal: ['service'],
        },
        // Both sides: alerts matching source and target do not mute each other.
        { sourceMatchers: ['alertname="Flap"'], targetMatchers: ['alertname="Flap"'], equal: [] },
      ],
    });
    const now = clock.now();
    const down = firing({ alertname: 'Down', severity: 'critical', service: 'api' }, now);
    const slow = firing({ alertname: 'Slow', severity: 'warning', service: 'api' }, now);
    const other = firing({ alertname: 'Slow', severity: 'warning', service: 'web' }, now);
    const unlabelled = firing({ alertname: 'Slow', severity: 'warning' }, now);
    const flap1 = firing({ alertname: 'Flap', instance: '1' }, now);
    const flap2 = firing({ alertname: 'Flap', instance: '2' }, now);
    notifier.ingest([down, slow, other, unlabelled, flap1, flap2], now);
    await pass(clock, notifier, SECOND);
    const names = team.sent.map(summary).sort();
    expect(names).toEqual([
      'team firing [Down:firing]',
      'team firing [Flap@1:firing]',
      'team firing [Flap@2:firing]',
      'team firing [Slow:firing]',
      'team firing [Slow:firing]',
    ]);
    expect(team.sent.filter((n) => n.alerts[0]?.labels['service'] === 'api')).toHaveLength(1);
    expect(notifier.muting(slow.labels).inhibitedBy).toBeDefined();
    // The source resolves: the target is notified at its group's next flush.
    notifier.ingest(
      [resolved(down, clock.now()), slow, other, unlabelled, flap1, flap2],
      clock.now(),
    );
    await pass(clock, notifier, MINUTE);
    expect(
      team.sent.some(
        (n) =>
          n.alerts[0]?.labels['service'] === 'api' && n.alerts[0]?.labels['alertname'] === 'Slow',
      ),
    ).toBe(true);
  });

  it('mutes alerts matching an active silence; an expired silence mutes nothing', async () => {
    const team = recorder();
    const { clock, notifier } = setup({
      route: { receiver: 'team', groupBy: ['alertname'], groupWait: '0s', groupInterval: '1m' },
      receivers: { team: team.channel },
    });
    const silence = notifier.createSilence({
      matchers: ['alertname="Down"', 'env=~"prod|stage"'],
      endsAt: clock.now() + 10 * MINUTE,
      createdBy: 'ops@example.com',
      comment: 'maintenance',
    });
    expect(silence.state).toBe('active');
    const down = firing({ alertname: 'Down', env: 'prod' }, clock.now());
    notifier.ingest([down], clock.now());
    await pass(clock, notifier, 2 * MINUTE);
    expect(team.sent).toEqual([]);
    expect(notifier.muting(down.labels).silencedBy).toEqual([silence.id]);
    expect(notifier.expireSilence(silence.id)).toBe(true);
    expect(notifier.silences()[0]?.state).toBe('expired');
    await pass(clock, notifier, MINUTE);
    expect(team.sent.map(summary)).toEqual(['team firing [Down:firing]']);
    expect(
      caught(() =>
        notifier.createSilence({
          matchers: ['a=~".*"'],
          endsAt: clock.now() + 1,
          createdBy: 'x',
          comment: 'y',
        }),
      ),
    ).toMatchObject({
      code: 'INVALID_OPTION',
    });
  });

  it('sends nothing during a mute time interval, in its time zone', async () => {
    const team = recorder();
    const { clock, notifier } = setup({
      route: {
        receiver: 'team',
        groupWait: '0s',
        groupInterval: '1h',
        routes: [{ matchers: ['alertname="Down"'], muteTimeIntervals: ['nights'] }],
      },
      receivers: { team: team.channel },
      // 22:00–24:00 and 00:00–06:00 in Berlin (UTC+1 in winter).
      timeIntervals: {
        nights: [
          {
            times: [
              { startTime: '22:00', endTime: '24:00' },
              { startTime: '00:00', endTime: '06:00' },
            ],
            location: 'Europe/Berlin',
          },
        ],
      },
    });
    clock.set(Date.UTC(2026, 0, 14, 22, 30)); // 23:30 in Berlin, a Wednesday
    notifier.ingest([firing({ alertname: 'Down' }, clock.now())], clock.now());
    await pass(clock, notifier, SECOND);
    expect(team.sent).toEqual([]);
    await pass(clock, notifier, 6 * 60 * MINUTE); // 05:30 Berlin: still muted
    expect(team.sent).toEqual([]);
    await pass(clock, notifier, 60 * MINUTE); // 06:30 Berlin
    expect(team.sent.map(summary)).toEqual(['team firing [Down:firing]']);
  });
});

describe('Notifier: delivery', () => {
  it('retries a retryable failure with backoff, dead-letters the rest, replays on demand', async () => {
    const flaky = recorder('flaky');
    const broken = recorder('broken');
    const { clock, notifier } = setup({
      route: { receiver: 'team', groupWait: '0s' },
      receivers: { team: [flaky.channel, broken.channel] },
      retryDelay: '1s',
      maxAttempts: 3,
    });
    const letters: string[] = [];
    notifier.on('dead-letter', (letter) =>
      letters.push(`${letter.channel} after ${letter.attempts}: ${letter.error}`),
    );
    flaky.failures.push(
      new DeliveryError('webhook to 127.0.0.1 answered 503', { retryable: true, status: 503 }),
      new DeliveryError('webhook to 127.0.0.1 answered 503', { retryable: true, status: 503 }),
    );
    broken.failures.push(new DeliveryError('answered 400', { retryable: false, status: 400 }));
    notifier.ingest([firing({ alertname: 'Down' }, clock.now())], clock.now());
    await pass(clock, notifier, SECOND);
    expect(flaky.sent).toHaveLength(0);
    expect(letters).toEqual(['broken after 1: answered 400']);
    await pass(clock, notifier, 5 * SECOND);
    expect(flaky.sent).toHaveLength(1);
    const [letter] = await notifier.deadLetters();
    expect(await notifier.replay(letter?.id as string)).toBe(true);
    await pass(clock, notifier, SECOND);
    expect(broken.sent).toHaveLength(1);
    expect(await notifier.deadLetters()).toEqual([]);
  });

  it('a channel that hangs holds up no other; its try is aborted at the delivery timeout', async () => {
    const fast = recorder('fast');
    let aborted = false;
    const hanging: Channel = {
      type: 'hanging',
      send: (_n, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new DeliveryError('timed out', { retryable: true }));
          });
        }),
    };
    const { clock, notifier } = setup({
      route: {
        receiver: 'slow',
        groupWait: '0s',
        routes: [{ matchers: ['team="fast"'], receiver: 'fast' }],
      },
      receivers: { slow: hanging, fast: fast.channel },
      deliveryTimeout: '10s',
      maxAttempts: 1,
    });
    notifier.ingest(
      [firing({ alertname: 'A' }), firing({ alertname: 'B', team: 'fast' })],
      clock.now(),
    );
    clock.advance(SECOND);
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(fast.sent).toHaveLength(1);
    clock.advance(10 * SECOND);
    await notifier.idle();
    expect(aborted).toBe(true);
    expect((await notifier.deadLetters()).map((l) => l.channel)).toEqual(['hanging']);
  });

  it('counts deliveries and queue length in metrics, with no URL in any label', async () => {
    const registry = new Registry();
    const team = recorder('webhook');
    const { clock, notifier } = setup({
      route: { receiver: 'team', groupWait: '0s' },
      receivers: { team: team.channel },
      metrics: registry,
    });
    notifier.ingest([firing({ alertname: 'Down', severity: 'critical' })], clock.now());
    await pass(clock, notifier, SECOND);
    const text = await registry.metrics();
    expect(text).toContain(
      'vigil_notifications_total{receiver="team",channel="webhook",outcome="delivered"} 1',
    );
    expect(text).toContain('vigil_notification_queue_length 0');
    expect(text).toContain('vigil_notifier_alerts{state="active",severity="critical"} 1');
    expect(text).not.toMatch(/https?:/);
  });
});

describe('Notifier with an AlertEngine', () => {
  it('notifies the engine’s firing and resolved alerts; pending ones wait', async () => {
    const clock = manualClock();
    const registry = new Registry({ clock });
    const depth = registry.gauge({ name: 'queue_depth', help: 'q' });
    const engine = new AlertEngine({
      registry,
      clock,
      timers: clock,
      metrics: false,
      evaluationInterval: '1m',
      groups: [
        {
          name: 'q',
          rules: [{ name: 'Deep', expr: 'queue_depth > 10', for: '2m', severity: 'warning' }],
        },
      ],
    });
    const team = recorder();
    const notifier = new Notifier({
      clock,
      timers: clock,
      route: { receiver: 'team', groupBy: ['alertname'], groupWait: '30s', groupInterval: '1m' },
      receivers: { team: team.channel },
    });
    closeAfterTest(notifier);
    notifier.watch(engine);
    const at: string[] = [];
    notifier.on('notification', ({ notification }) =>
      at.push(`${(clock.now() - MANUAL_CLOCK_EPOCH) / SECOND}s ${notification.status}`),
    );
    for (let minute = 0; minute < 8; minute++) {
      depth.set(minute < 5 ? 50 : 0);
      await engine.evaluate();
      await pass(clock, notifier, MINUTE);
    }
    // Fires at 2m; the group waits 30 s. Resolves at 5m; the group's next flush is a minute after its last.
    expect(at).toEqual(['150s firing', '330s resolved']);
    expect(team.sent[0]?.alerts[0]?.startsAt).toBe(
      new Date(MANUAL_CLOCK_EPOCH + 2 * MINUTE).toISOString(),
    );
    await engine.close();
  });
});
