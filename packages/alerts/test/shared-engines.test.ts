import { Registry } from '@vigil/core';
import { MANUAL_CLOCK_EPOCH, type ManualClock, manualClock } from '@vigil/core/testing';
import type { Store } from '@vigil/storage';
import { PostgresStore } from '@vigil/storage-postgres';
import { RedisStore } from '@vigil/storage-redis';
import { describe, expect, inject, it } from 'vitest';
import { AlertRecords } from '../src/engine/alert-records.js';
import { AlertEngine, type AlertTransition, type RuleGroupDefinition } from '../src/index.js';

const MINUTE = 60_000;
const INSTANCES = ['a', 'b', 'c'] as const;
type Instance = (typeof INSTANCES)[number];

const GROUPS: RuleGroupDefinition[] = [
  {
    name: 'queues',
    rules: [
      { name: 'QueueDeep', expr: 'queue_depth > 10', for: '2m' },
      { name: 'FleetBacklog', expr: 'sum(queue_depth) > 100', for: '1m' },
    ],
  },
];

/** Each instance's queue depth at each minute. */
function depth(instance: Instance, minute: number): number {
  if (instance === 'a') return minute >= 2 && minute < 12 ? 50 : 0;
  if (instance === 'b') return minute >= 5 && minute < 25 ? 50 : 0;
  return minute >= 15 && minute < 20 ? 200 : 0;
}

function describeTransition(t: AlertTransition): string {
  const minute = (t.at - MANUAL_CLOCK_EPOCH) / MINUTE;
  return `${minute}m ${t.rule}{${t.alert.labels['instance'] ?? ''}} ${t.from}->${t.to}`;
}

type StoreFactory = (namespace: string, clock: ManualClock) => Store;

const STORES: [string, StoreFactory][] = [
  [
    'redis',
    (namespace, clock) =>
      new RedisStore({ url: inject('redisUrl'), keyPrefix: `${namespace}:`, clock }),
  ],
  [
    'postgres',
    (namespace, clock) =>
      new PostgresStore({ url: inject('postgresUrl'), schema: namespace, clock }),
  ],
];

// Three engines, one per instance, each with its own registry and its own connection to one real
// store; the reference is one engine in memory fed the same points. The first leader dies at
// minute 9 (it stops, without giving its lease up); another takes over once the lease expires.
describe.each(STORES)('three engines sharing real %s', (kind, openStore) => {
  it('evaluate once, as one engine would, and hand over when the leader dies', async () => {
    const namespace = `vigil_alerts_${kind}_${process.pid}_${Date.now()}`;
    const clock = manualClock();
    const stores = INSTANCES.map(() => openStore(namespace, clock));
    const fleet = INSTANCES.map((instance, i) => {
      const registry = new Registry({ clock });
      const gauge = registry.gauge({ name: 'queue_depth', help: 'q', labelNames: ['queue'] });
      const engine = new AlertEngine({
        registry,
        clock,
        timers: clock,
        store: stores[i] as Store,
        instance,
        evaluationInterval: '1m',
        metrics: false,
        groups: GROUPS,
      });
      return { instance, gauge, engine, alive: true };
    });
    const reference = new AlertEngine({
      registry: new Registry({ clock }),
      clock,
      timers: clock,
      evaluationInterval: '1m',
      metrics: false,
      groups: GROUPS,
    });
    const seen: string[] = [];
    const leaders: string[] = [];
    for (const member of fleet) {
      member.engine.on('transition', (t) => seen.push(describeTransition(t)));
      member.engine.on('leadership', ({ leader }) => {
        if (leader)
          leaders.push(`${(clock.now() - MANUAL_CLOCK_EPOCH) / MINUTE}m ${member.instance}`);
      });
    }
    const expected: string[] = [];
    reference.on('transition', (t) => expected.push(describeTransition(t)));
    try {
      for (let minute = 0; minute <= 30; minute++) {
        if (minute === 9) {
          const leader = fleet.find((member) => member.engine.leader);
          if (leader === undefined) throw new Error('no leader at minute 9');
          leader.alive = false; // dies: no more cycles, its lease left to expire
        }
        const alive = fleet.filter((member) => member.alive);
        for (const member of alive) {
          const value = depth(member.instance, minute);
          member.gauge.labels({ queue: 'jobs' }).set(value);
          reference.addPoint('queue_depth', value, { queue: 'jobs', instance: member.instance });
        }
        if (minute === 12) {
          // a's last point was at 8m: three intervals without one, the leader ends its series.
          reference.history.append(
            { queue: 'jobs', instance: 'a', __name__: 'queue_depth' },
            clock.now(),
            null,
          );
        }
        // Followers first, the leader last: it reads what the others wrote this minute.
        for (const member of [...alive].sort(
          (x, y) => Number(x.engine.leader) - Number(y.engine.leader),
        )) {
          await member.engine.evaluate();
        }
        expect(alive.filter((member) => member.engine.leader).length).toBeLessThanOrEqual(1);
        if (minute === 17) {
          // An engine that does not lead shows the leader's alerts (as of its cycle before).
          const follower = alive.find((member) => !member.engine.leader);
          const shown = follower?.engine
            .alerts()
            .map(
              (alert) =>
                `${alert.labels['alertname']}{${alert.labels['instance'] ?? ''}} ${alert.state}`,
            )
            .sort();
          expect(shown).toEqual([
            'FleetBacklog{} firing',
            'QueueDeep{b} firing',
            'QueueDeep{c} pending',
          ]);
        }
        await reference.evaluate();
        clock.advance(MINUTE);
      }
      // a leads from the start; the lease it renewed at 8m (3 minutes) expires at 11m.
      expect(leaders).toEqual(['0m a', '11m b']);
      expect(seen).toEqual(expected);
      expect(expected).toEqual([
        '2m QueueDeep{a} inactive->pending',
        '4m QueueDeep{a} pending->firing',
        '5m QueueDeep{b} inactive->pending',
        '7m QueueDeep{b} pending->firing',
        // a died at 9m: its series (last point 8m) ends after three intervals without a point.
        '12m QueueDeep{a} firing->inactive',
        '15m QueueDeep{c} inactive->pending',
        '15m FleetBacklog{} inactive->pending',
        '16m FleetBacklog{} pending->firing',
        '17m QueueDeep{c} pending->firing',
        '20m QueueDeep{c} firing->inactive',
        '20m FleetBacklog{} firing->inactive',
        '25m QueueDeep{b} firing->inactive',
      ]);
    } finally {
      for (const member of fleet) if (member.alive) await member.engine.close();
      for (const store of stores) await store.close();
    }
  });

  it('fences the alert state: a deposed leader’s write is refused', async () => {
    const namespace = `vigil_alerts_fence_${kind}_${process.pid}_${Date.now()}`;
    const store = openStore(namespace, manualClock());
    try {
      const records = new AlertRecords(store.records);
      const state = (token: number) => ({ token, evaluatedAt: token, alerts: [] });
      expect(await records.writeState('g', 'R', state(2))).toBe(true);
      expect(await records.writeState('g', 'R', state(1))).toBe(false);
      expect(await records.writeEvaluation(2, 100)).toBe(true);
      expect(await records.writeEvaluation(1, 200)).toBe(false);
      expect(await records.lastEvaluation()).toBe(100);
      expect((await records.states()).get('g/R')?.token).toBe(2);
    } finally {
      await store.close();
    }
  });
});
