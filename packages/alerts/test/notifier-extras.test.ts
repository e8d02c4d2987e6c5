import { Registry } from '@vigil/core';
import { MANUAL_CLOCK_EPOCH, type ManualClock, manualClock } from '@vigil/core/testing';
import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { AlertEngine, type Notification, Notifier, type NotifierOptions } from '../src/index.js';
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

/** Minutes since the manual clock's epoch at which each notification was queued. */
function minutesOf(clock: ManualClock, notifier: Notifier): number[] {
  const at: number[] = [];
  notifier.on('notification', () => at.push((clock.now() - MANUAL_CLOCK_EPOCH) / MINUTE));
  return at;
}

describe('Notifier: acknowledgement', () => {
  it('stops repeats of an all-acknowledged group; new alerts, unacknowledge and resolution still notify', async () => {
    const team = recorder();
    const { clock, notifier } = setup({
      route: {
        receiver: 'team',
        groupBy: ['alertname'],
        groupWait: '0s',
        groupInterval: '1m',
        repeatInterval: '10m',
      },
      receivers: { team: team.channel },
      cooldowns: false,
    });
    const a = firing({ alertname: 'Down', instance: 'a' }, clock.now());
    notifier.ingest([a], clock.now());
    await pass(clock, notifier, SECOND);
    expect(team.sent.map(summary)).toEqual(['team firing [Down@a:firing]']);
    const fpA = team.sent[0]?.alerts[0]?.fingerprint as string;
    expect(notifier.groups()[0]?.alerts[0]).toBe(fpA);

    // Without an acknowledgement, the group repeats after the repeat interval…
    await pass(clock, notifier, 10 * MINUTE);
    expect(team.sent).toHaveLength(2);
    // …acknowledged, it does not.
    const ackedAt = clock.now();
    expect(notifier.acknowledge(fpA, 'alice@example.com', 'on it')).toBe(true);
    expect(notifier.acknowledgement(fpA)).toEqual({
      by: 'alice@example.com',
      at: ackedAt,
      comment: 'on it',
    });
    await pass(clock, notifier, 30 * MINUTE);
    expect(team.sent).toHaveLength(2);

    // A new firing alert in the group still goes, at the group's next flush.
    const b = firing({ alertname: 'Down', instance: 'b' }, clock.now());
    notifier.ingest([a, b], clock.now());
    await pass(clock, notifier, MINUTE);
    expect(team.sent).toHaveLength(3);
    expect(team.sent.map(summary).at(-1)).toBe('team firing [Down@a:firing Down@b:firing]');
    const fpB = notifier.groups()[0]?.alerts[1] as string;
    expect(team.sent.at(-1)?.alerts[1]?.fingerprint).toBe(fpB);

    // Both acknowledged: no repeat, however long.
    expect(notifier.acknowledge(fpB, 'bob@example.com', 'me too')).toBe(true);
    await pass(clock, notifier, 30 * MINUTE);
    expect(team.sent).toHaveLength(3);

    // One acknowledgement taken back: the repeats resume (the repeat interval has long passed).
    expect(notifier.unacknowledge(fpA)).toBe(true);
    expect(notifier.acknowledgement(fpA)).toBeUndefined();
    expect(notifier.unacknowledge(fpA)).toBe(false);
    await pass(clock, notifier, MINUTE);
    expect(team.sent).toHaveLength(4);
    expect(team.sent.map(summary).at(-1)).toBe('team firing [Down@a:firing Down@b:firing]');
    await pass(clock, notifier, 10 * MINUTE);
    expect(team.sent).toHaveLength(5);

    // Acknowledged again: quiet, but the resolution still goes.
    expect(notifier.acknowledge(fpA, 'alice@example.com', 'back on it')).toBe(true);
    await pass(clock, notifier, 20 * MINUTE);
    expect(team.sent).toHaveLength(5);
    notifier.ingest([resolved(a, clock.now()), resolved(b, clock.now())], clock.now());
    // A resolved alert cannot be acknowledged.
    expect(notifier.acknowledge(fpA, 'alice@example.com', 'late')).toBe(false);
    await pass(clock, notifier, MINUTE);
    expect(team.sent).toHaveLength(6);
    expect(team.sent.map(summary).at(-1)).toBe('team resolved [Down@a:resolved Down@b:resolved]');
    expect(notifier.groups()).toEqual([]);
    // Gone: unknown fingerprints are not acknowledged either.
    expect(notifier.acknowledge(fpA, 'alice@example.com', 'late')).toBe(false);
    expect(notifier.acknowledge('0123456789abcdef', 'alice@example.com', '?')).toBe(false);
    expect(notifier.acknowledgement('0123456789abcdef')).toBeUndefined();
  });

  it('a resolved notification goes for an acknowledged group with a single alert', async () => {
    const team = recorder();
    const { clock, notifier } = setup({
      route: {
        receiver: 'team',
        groupBy: ['alertname'],
        groupWait: '0s',
        groupInterval: '1m',
        repeatInterval: '5m',
      },
      receivers: { team: team.channel },
      cooldowns: false,
    });
    const a = firing({ alertname: 'Down' }, clock.now());
    notifier.ingest([a], clock.now());
    await pass(clock, notifier, SECOND);
    const fp = notifier.groups()[0]?.alerts[0] as string;
    expect(notifier.acknowledge(fp, 'alice@example.com', 'on it')).toBe(true);
    await pass(clock, notifier, 20 * MINUTE);
    expect(team.sent.map(summary)).toEqual(['team firing [Down:firing]']);
    notifier.ingest([resolved(a, clock.now())], clock.now());
    await pass(clock, notifier, MINUTE);
    expect(team.sent.map(summary)).toEqual([
      'team firing [Down:firing]',
      'team resolved [Down:resolved]',
    ]);
  });
});

describe('Notifier: cooldowns by severity', () => {
  const route = {
    receiver: 'team',
    groupBy: ['alertname'],
    groupWait: '0s',
    groupInterval: '1m',
  } as const;

  it('repeats an unchanged critical group after 5 min, then 10, then 15, then 15', async () => {
    const team = recorder();
    const { clock, notifier } = setup({ route, receivers: { team: team.channel } });
    const at = minutesOf(clock, notifier);
    notifier.ingest(
      [firing({ alertname: 'Down', severity: 'critical' }, clock.now())],
      clock.now(),
    );
    await pass(clock, notifier, 61 * MINUTE);
    expect(at).toEqual([0, 5, 15, 30, 45, 60]);
    expect(team.sent.map(summary)).toEqual(Array(6).fill('team firing [Down:firing]'));
  });

  it('repeats a group with critical and warning alerts as critical', async () => {
    const team = recorder();
    const { clock, notifier } = setup({ route, receivers: { team: team.channel } });
    const at = minutesOf(clock, notifier);
    notifier.ingest(
      [
        firing({ alertname: 'Down', instance: 'a', severity: 'warning' }, clock.now()),
        firing({ alertname: 'Down', instance: 'b', severity: 'critical' }, clock.now()),
      ],
      clock.now(),
    );
    await pass(clock, notifier, 16 * MINUTE);
    expect(at).toEqual([0, 5, 15]);
  });

  it('repeats a warning group after 30 min, then 60', async () => {
    const team = recorder();
    const { clock, notifier } = setup({ route, receivers: { team: team.channel } });
    const at = minutesOf(clock, notifier);
    notifier.ingest([firing({ alertname: 'Slow', severity: 'warning' }, clock.now())], clock.now());
    await pass(clock, notifier, 151 * MINUTE);
    expect(at).toEqual([0, 30, 90, 150]);
  });

  it('repeats an alert without a severity after the route’s repeatInterval', async () => {
    const team = recorder();
    const { clock, notifier } = setup({
      route: { ...route, repeatInterval: '20m' },
      receivers: { team: team.channel },
    });
    const at = minutesOf(clock, notifier);
    notifier.ingest([firing({ alertname: 'Odd' }, clock.now())], clock.now());
    await pass(clock, notifier, 61 * MINUTE);
    expect(at).toEqual([0, 20, 40, 60]);
  });

  it('takes custom cooldowns', async () => {
    const team = recorder();
    const { clock, notifier } = setup({
      route,
      receivers: { team: team.channel },
      cooldowns: { critical: ['1m', '2m'] },
    });
    const at = minutesOf(clock, notifier);
    notifier.ingest(
      [firing({ alertname: 'Down', severity: 'critical' }, clock.now())],
      clock.now(),
    );
    await pass(clock, notifier, 8 * MINUTE);
    expect(at).toEqual([0, 1, 3, 5, 7]);
  });

  it('rejects bad cooldowns with INVALID_OPTION', () => {
    const { channel } = recorder();
    const make = (cooldowns: unknown) => () =>
      new Notifier({
        route: { receiver: 'team' },
        receivers: { team: channel },
        cooldowns: cooldowns as NotifierOptions['cooldowns'],
      });
    expect(caught(make({ critical: ['15m', '5m'] }))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(caught(make({ critical: ['5m'] }))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(caught(make({ critical: ['5m', '10m', '15m'] }))).toMatchObject({
      code: 'INVALID_OPTION',
    });
    expect(caught(make({ critical: '5m' }))).toMatchObject({ code: 'INVALID_OPTION' });
    expect(make({ critical: ['5m', '5m'] })).not.toThrow();
  });
});

describe('Notifier: storm limit', () => {
  it('sends max notifications in a window, then one digest of the rest; later ones go normally', async () => {
    const team = recorder();
    const { clock, notifier } = setup({
      route: { receiver: 'team', groupBy: ['...'], groupWait: '0s', groupInterval: '5m' },
      receivers: { team: team.channel },
      stormLimit: { max: 3, window: '1m' },
    });
    const at = minutesOf(clock, notifier);
    const alerts = Array.from({ length: 10 }, (_, i) =>
      firing({ alertname: 'Flood', instance: String(i) }, clock.now()),
    );
    notifier.ingest(alerts, clock.now());
    await pass(clock, notifier, SECOND);
    expect(team.sent).toHaveLength(3);
    expect(team.sent.every((n) => n.kind === undefined || n.kind === 'group')).toBe(true);
    await pass(clock, notifier, 58 * SECOND);
    expect(team.sent).toHaveLength(3);
    await pass(clock, notifier, SECOND);
    expect(team.sent).toHaveLength(4);
    const digest = team.sent[3] as Notification;
    expect(digest).toMatchObject({
      receiver: 'team',
      status: 'firing',
      kind: 'digest',
      digestOf: 7,
    });
    const sentFirst = team.sent.slice(0, 3).flatMap((n) => n.alerts.map((a) => a.fingerprint));
    const held = digest.alerts.map((a) => a.fingerprint);
    expect(held).toHaveLength(7);
    expect(new Set([...sentFirst, ...held]).size).toBe(10);
    expect(digest.alerts.every((a) => a.status === 'firing')).toBe(true);
    expect(at).toEqual([0, 0, 0, 1]);
    // Nothing more comes of the flood.
    await pass(clock, notifier, MINUTE);
    expect(team.sent).toHaveLength(4);

    // After the window, a single new alert goes as usual, at once.
    const late = firing({ alertname: 'Late' }, clock.now());
    notifier.ingest([...alerts, late], clock.now());
    await pass(clock, notifier, SECOND);
    expect(team.sent).toHaveLength(5);
    expect(summary(team.sent[4] as Notification)).toBe('team firing [Late:firing]');
    expect(team.sent[4]?.kind ?? 'group').toBe('group');
    expect(team.sent[4]?.digestOf).toBeUndefined();
  });
});

describe('Notifier: escalation', () => {
  const escalations: NotifierOptions['escalations'] = [
    {
      matchers: ['severity="warning"'],
      steps: [
        { after: '10m', receiver: 'pager' },
        { after: '30m', severity: 'critical' },
      ],
    },
  ];

  it('escalates an unacknowledged, unsilenced warning to the pager at 10 min, then as critical at 30 min', async () => {
    const team = recorder();
    const pager = recorder();
    const { clock, notifier } = setup({
      route: { receiver: 'team', groupBy: ['alertname'], groupWait: '30s', groupInterval: '5m' },
      receivers: { team: team.channel, pager: pager.channel },
      escalations,
    });
    const escalated: string[] = [];
    notifier.on('notification', ({ receiver, notification }) => {
      if (notification.kind !== 'escalation') return;
      const [alert] = notification.alerts;
      escalated.push(
        `${(clock.now() - MANUAL_CLOCK_EPOCH) / MINUTE}m ${receiver} ${alert?.labels['alertname']} ${alert?.labels['severity']}`,
      );
    });
    const t0 = clock.now();
    const slow = firing({ alertname: 'Slow', severity: 'warning' }, t0);
    const acked = firing({ alertname: 'Acked', severity: 'warning' }, t0);
    const hushed = firing({ alertname: 'Hushed', severity: 'warning' }, t0);
    const critical = firing({ alertname: 'Down', severity: 'critical' }, t0);
    const alerts = [slow, acked, hushed, critical];
    notifier.createSilence({
      matchers: ['alertname="Hushed"'],
      endsAt: t0 + 2 * 60 * MINUTE,
      createdBy: 'ops@example.com',
      comment: 'known',
    });
    notifier.ingest(alerts, clock.now());
    const ackedFp = notifier.groups().find((g) => g.labels['alertname'] === 'Acked')
      ?.alerts[0] as string;
    expect(notifier.acknowledge(ackedFp, 'alice@example.com', 'mine')).toBe(true);
    for (let minute = 0; minute < 40; minute++) {
      notifier.ingest(alerts, clock.now());
      await pass(clock, notifier, MINUTE);
    }
    expect(escalated).toEqual(['10m pager Slow warning', '30m team Slow critical']);
    expect(pager.sent).toHaveLength(1);
    expect(pager.sent[0]).toMatchObject({
      receiver: 'pager',
      status: 'firing',
      kind: 'escalation',
    });
    expect(pager.sent[0]?.alerts.map((a) => a.labels)).toEqual([slow.labels]);
    const toTeam = team.sent.filter((n) => n.kind === 'escalation');
    expect(toTeam).toHaveLength(1);
    expect(toTeam[0]?.alerts[0]?.labels).toEqual({ alertname: 'Slow', severity: 'critical' });
    expect(toTeam[0]?.alerts[0]?.status).toBe('firing');
  });

  it('checks the steps at construction: out of order, or an unknown receiver', () => {
    const { channel } = recorder();
    const make = (steps: NonNullable<NotifierOptions['escalations']>[number]['steps']) => () =>
      new Notifier({
        route: { receiver: 'team' },
        receivers: { team: channel, pager: channel },
        escalations: [{ matchers: ['severity="warning"'], steps }],
      });
    expect(
      caught(
        make([
          { after: '30m', severity: 'critical' },
          { after: '10m', receiver: 'pager' },
        ]),
      ),
    ).toMatchObject({ code: 'INVALID_OPTION' });
    expect(caught(make([{ after: '10m', receiver: 'nobody' }]))).toMatchObject({
      code: 'INVALID_OPTION',
    });
    expect(
      make([
        { after: '10m', receiver: 'pager' },
        { after: '30m', severity: 'critical' },
      ]),
    ).not.toThrow();
  });
});

describe('Notifier: manual resolve', () => {
  it('resolves by hand until the engine resolves it; a new incident then fires anew', async () => {
    const team = recorder();
    const { clock, notifier } = setup({
      route: { receiver: 'team', groupBy: ['alertname'], groupWait: '0s', groupInterval: '1m' },
      receivers: { team: team.channel },
    });
    const a = firing({ alertname: 'Down', severity: 'critical' }, clock.now());
    notifier.ingest([a], clock.now());
    await pass(clock, notifier, SECOND);
    expect(team.sent.map(summary)).toEqual(['team firing [Down:firing]']);
    const fp = team.sent[0]?.alerts[0]?.fingerprint as string;
    expect(notifier.resolve('0123456789abcdef', 'alice@example.com')).toBe(false);

    await pass(clock, notifier, 10 * SECOND);
    const resolvedAt = clock.now();
    expect(notifier.resolve(fp, 'alice@example.com')).toBe(true);
    expect(notifier.resolve(fp, 'alice@example.com')).toBe(false);
    // The engine still reports it firing.
    notifier.ingest([a], clock.now());
    await pass(clock, notifier, MINUTE);
    expect(team.sent.map(summary)).toEqual([
      'team firing [Down:firing]',
      'team resolved [Down:resolved]',
    ]);
    expect(team.sent[1]?.alerts[0]?.endsAt).toBe(new Date(resolvedAt).toISOString());

    // It stays resolved while the engine keeps reporting it firing.
    for (let minute = 0; minute < 30; minute++) {
      notifier.ingest([a], clock.now());
      await pass(clock, notifier, MINUTE);
    }
    expect(team.sent).toHaveLength(2);
    expect(notifier.groups()).toEqual([]);

    // The engine resolves it; later it fires again: a new incident.
    notifier.ingest([resolved(a, clock.now())], clock.now());
    await pass(clock, notifier, 5 * MINUTE);
    expect(team.sent).toHaveLength(2);
    const again = firing({ alertname: 'Down', severity: 'critical' }, clock.now());
    notifier.ingest([again], clock.now());
    await pass(clock, notifier, SECOND);
    expect(team.sent.map(summary)).toEqual([
      'team firing [Down:firing]',
      'team resolved [Down:resolved]',
      'team firing [Down:firing]',
    ]);
    expect(team.sent[2]?.alerts[0]?.startsAt).toBe(new Date(again.firedAt as number).toISOString());
  });
});

describe('Notifier: testFire', () => {
  it('sends a test notification at once to the receiver the tree picks for the labels', async () => {
    const team = recorder();
    const db = recorder();
    const dbPager = recorder();
    const { clock, notifier } = setup({
      route: {
        receiver: 'team',
        groupBy: ['alertname'],
        groupWait: '30s',
        routes: [
          { matchers: ['team="db"', 'severity="critical"'], receiver: 'dbPager' },
          { matchers: ['team="db"'], receiver: 'db' },
        ],
      },
      receivers: { team: team.channel, db: db.channel, dbPager: dbPager.channel },
    });
    const start = clock.now();
    expect(notifier.testFire({ team: 'db', severity: 'critical' })).toEqual(['dbPager']);
    await notifier.idle();
    expect(clock.now()).toBe(start);
    expect(dbPager.sent).toHaveLength(1);
    expect(dbPager.sent[0]).toMatchObject({ receiver: 'dbPager', status: 'firing', kind: 'test' });
    expect(dbPager.sent[0]?.alerts[0]?.labels).toEqual({
      alertname: 'VigilTest',
      team: 'db',
      severity: 'critical',
    });
    expect(team.sent).toEqual([]);
    expect(db.sent).toEqual([]);

    expect(notifier.testFire({ team: 'db', severity: 'warning' })).toEqual(['db']);
    await notifier.idle();
    expect(db.sent.map((n) => n.kind)).toEqual(['test']);
  });

  it('takes a watched engine’s rule by name, with its severity label', async () => {
    const clock = manualClock();
    const registry = new Registry({ clock });
    registry.gauge({ name: 'disk_used', help: 'd' });
    const engine = new AlertEngine({
      registry,
      clock,
      timers: clock,
      metrics: false,
      evaluationInterval: '1m',
      groups: [
        {
          name: 'disk',
          rules: [{ name: 'DiskFull', expr: 'disk_used > 90', severity: 'critical' }],
        },
      ],
    });
    const team = recorder();
    const pager = recorder();
    const notifier = new Notifier({
      clock,
      timers: clock,
      route: {
        receiver: 'team',
        groupWait: '30s',
        routes: [{ matchers: ['severity="critical"'], receiver: 'pager' }],
      },
      receivers: { team: team.channel, pager: pager.channel },
    });
    closeAfterTest(notifier);
    notifier.watch(engine);
    expect(notifier.testFire('DiskFull')).toEqual(['pager']);
    await notifier.idle();
    expect(pager.sent).toHaveLength(1);
    expect(pager.sent[0]).toMatchObject({ kind: 'test', status: 'firing' });
    expect(pager.sent[0]?.alerts[0]?.labels).toMatchObject({
      alertname: 'DiskFull',
      severity: 'critical',
    });
    expect(team.sent).toEqual([]);
    // The same from the engine's side: engine.testFire goes through the notifiers watching it.
    expect(engine.testFire('DiskFull')).toBe(true);
    await notifier.idle();
    expect(pager.sent).toHaveLength(2);
    expect(caught(() => engine.testFire('Nope'))).toMatchObject({ code: 'INVALID_RULE' });
    await engine.close();
  });
});

describe('Notifier: several sources', () => {
  it('a source’s batch resolves only the alerts it reported, not another engine’s', async () => {
    const team = recorder();
    const { clock, notifier } = setup({
      route: { receiver: 'team', groupBy: ['...'], groupWait: '0s', groupInterval: '1m' },
      receivers: { team: team.channel },
      cooldowns: false,
    });
    const a = firing({ alertname: 'A' }, clock.now());
    const b = firing({ alertname: 'B' }, clock.now());
    notifier.ingest([a], clock.now(), 1);
    notifier.ingest([b], clock.now(), 2);
    await pass(clock, notifier, SECOND);
    notifier.ingest([a], clock.now(), 1);
    notifier.ingest([], clock.now(), 2); // B's rule is gone from engine 2: B resolves; A does not
    await pass(clock, notifier, MINUTE);
    expect(team.sent.map(summary).sort()).toEqual([
      'team firing [A:firing]',
      'team firing [B:firing]',
      'team resolved [B:resolved]',
    ]);
  });

  it('an alert resolved by hand that fires anew (a later firedAt) is a new incident', async () => {
    const team = recorder();
    const { clock, notifier } = setup({
      route: { receiver: 'team', groupBy: ['...'], groupWait: '0s', groupInterval: '1m' },
      receivers: { team: team.channel },
      cooldowns: false,
    });
    const down = firing({ alertname: 'Down' }, clock.now());
    notifier.ingest([down], clock.now());
    await pass(clock, notifier, SECOND);
    const [sent] = team.sent;
    expect(notifier.resolve(sent?.alerts[0]?.fingerprint as string, 'ana')).toBe(true);
    await pass(clock, notifier, MINUTE);
    notifier.ingest([firing({ alertname: 'Down' }, clock.now())], clock.now());
    await pass(clock, notifier, MINUTE);
    expect(team.sent.map(summary)).toEqual([
      'team firing [Down:firing]',
      'team resolved [Down:resolved]',
      'team firing [Down:firing]',
    ]);
  });
});
