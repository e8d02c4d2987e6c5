import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '@vigil/core';
import { MANUAL_CLOCK_EPOCH, type ManualClock, manualClock } from '@vigil/core/testing';
import { SqliteStore } from '@vigil/storage-sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertEngine, type AlertTransition } from '../src/index.js';

const MINUTE = 60_000;
const directories: string[] = [];

afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

function databaseFile(): string {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-alerts-'));
  directories.push(directory);
  return join(directory, 'alerts.db');
}

/** One life of a process: a registry, a store on the file, an engine. */
function life(path: string, clock: ManualClock) {
  const registry = new Registry({ clock });
  const depth = registry.gauge({ name: 'queue_depth', help: 'q', labelNames: ['queue'] });
  const store = new SqliteStore({ path, clock, retention: false });
  const engine = new AlertEngine({
    registry,
    clock,
    timers: clock,
    store,
    instance: 'app-1',
    evaluationInterval: '1m',
    metrics: false,
    groups: [
      {
        name: 'queues',
        rules: [
          { name: 'QueueDeep', expr: 'queue_depth > 10', for: '2m' },
          { name: 'QueueStuck', expr: 'queue_depth > 100', for: '30m' },
        ],
      },
    ],
  });
  const seen: string[] = [];
  engine.on('transition', (t: AlertTransition) =>
    seen.push(`${(t.at - MANUAL_CLOCK_EPOCH) / MINUTE}m ${t.rule} ${t.from}->${t.to}`),
  );
  const stop = async () => {
    await engine.close();
    await store.close();
  };
  return { depth, engine, seen, stop };
}

async function cycles(engine: AlertEngine, clock: ManualClock, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await engine.evaluate();
    clock.advance(MINUTE);
  }
}

describe('AlertEngine with a store (SQLite, across restarts)', () => {
  it('keeps a firing alert firing across a restart, with no new firing transition', async () => {
    const path = databaseFile();
    const clock = manualClock();
    const first = life(path, clock);
    first.depth.labels({ queue: 'mail' }).set(50);
    await cycles(first.engine, clock, 3);
    expect(first.seen).toEqual(['0m QueueDeep inactive->pending', '2m QueueDeep pending->firing']);
    const firedAt = first.engine.alerts()[0]?.firedAt;
    await first.stop();

    clock.advance(MINUTE);
    const second = life(path, clock);
    second.depth.labels({ queue: 'mail' }).set(50);
    await cycles(second.engine, clock, 2);
    expect(second.seen).toEqual([]);
    expect(second.engine.alerts()).toMatchObject([{ state: 'firing', firedAt }]);
    // The history came back too: the queue still reads as deep from the stored points.
    second.depth.labels({ queue: 'mail' }).set(0);
    await cycles(second.engine, clock, 1);
    expect(second.seen).toEqual(['6m QueueDeep firing->inactive']);
    await second.stop();
  });

  it('restores a pending alert’s for as Prometheus does: the outage does not count as pending', async () => {
    const path = databaseFile();
    const clock = manualClock();
    const first = life(path, clock);
    first.depth.labels({ queue: 'mail' }).set(500);
    await cycles(first.engine, clock, 11); // QueueStuck pending from 0m, last evaluated at 10m
    await first.stop();

    clock.advance(19 * MINUTE); // down from 10m to 30m
    const second = life(path, clock);
    second.depth.labels({ queue: 'mail' }).set(500);
    await cycles(second.engine, clock, 21);
    // 30 minutes of `for`: 10 before the outage, 20 after it; the 20 down do not count.
    expect(second.seen.filter((s) => s.includes('QueueStuck'))).toEqual([
      '50m QueueStuck pending->firing',
    ]);
    await second.stop();
  });

  it('keeps rules added, replaced and removed at run time', async () => {
    const path = databaseFile();
    const clock = manualClock();
    const first = life(path, clock);
    await first.engine.addRule('ops', { name: 'Backlog', expr: 'queue_depth > 1000' });
    await first.engine.addRule('ops', { name: 'Empty', expr: 'queue_depth == 0' });
    await first.engine.replaceRule('queues', 'QueueDeep', {
      name: 'QueueDeep',
      expr: 'queue_depth > 20',
    });
    await first.engine.removeRule('queues', 'QueueStuck');
    await first.engine.removeRule('ops', 'Empty');
    await first.stop();

    const second = life(path, clock);
    await second.engine.evaluate();
    expect(second.engine.rules().map((r) => `${r.group}/${r.name}: ${r.expr}`)).toEqual([
      'queues/QueueDeep: queue_depth > 20',
      'ops/Backlog: queue_depth > 1000',
    ]);
    await second.stop();
  });
});
