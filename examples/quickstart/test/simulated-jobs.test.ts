import { Registry } from '@vigil/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keyFigures, renderTable } from '../src/live-table.js';
import { SimulatedJobs } from '../src/simulated-jobs.js';
import { SimulatedPartner } from '../src/simulated-partner.js';

describe('the simulated jobs', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('report progress, open the breaker in the outage, fill the dead letters, then replay them', async () => {
    const registry = new Registry();
    const partner = new SimulatedPartner(registry);
    const jobs = new SimulatedJobs(registry, () => partner.available());
    const progress = new Set<string>();
    jobs.runner.on('progress', ({ type, message }) => progress.add(`${type}: ${message}`));
    jobs.start();
    const figuresAt = async (seconds: number) => {
      await vi.advanceTimersByTimeAsync(seconds * 1000 - Date.now());
      return keyFigures(registry.snapshot());
    };

    // Before the outage (3 s to 6 s): every type runs; e-mails and exports report progress.
    const before = await figuresAt(2.9);
    expect(progress).toContain('send-email: rendered');
    expect(progress).toContain('export-data: rows 4000/8000');
    expect(jobs.activity.progress['export-data']?.fraction).toBeGreaterThan(0);
    for (const type of ['send-email', 'export-data', 'sync-partner']) {
      expect(before.jobs[type]).toMatchObject({ failed: 0, deadLetters: 0, breaker: 'closed' });
      expect(before.jobs[type]?.completed).toBeGreaterThan(0);
    }

    // In the outage: syncs fail both attempts and are dead-lettered, then the breaker opens.
    const open = await figuresAt(4.5);
    const sync = open.jobs['sync-partner'];
    expect(sync?.breaker).toBe('open');
    expect(sync?.deadLetters).toBeGreaterThan(0);
    expect(await jobs.runner.deadLetters.count({ type: 'sync-partner' })).toBe(sync?.deadLetters);
    expect(open.jobs['send-email']?.breaker).toBe('closed');
    // While it is open, new syncs wait instead of spending attempts: one probe a second.
    const later = await figuresAt(5.5);
    expect(later.jobs['sync-partner']?.breaker).toBe('open');
    expect(later.jobs['sync-partner']?.queued).toBeGreaterThan((sync?.queued ?? 0) + 3);
    expect(later.jobs['sync-partner']?.failed).toBeLessThanOrEqual((sync?.failed ?? 0) + 1);
    expect(renderTable(later, 0, 5.5, jobs.activity)).toMatch(
      /^ {4}sync-partner +\d+ +\d+ +\d+ +\d+ +[1-9]\d* +open {5}/m,
    );

    // The partner is back at 6 s: a probe closes the breaker, and the replay at 7.5 s succeeds.
    const after = await figuresAt(8.5);
    expect(after.jobs['sync-partner']).toMatchObject({ breaker: 'closed', queued: 0 });
    expect(after.jobs['sync-partner']?.deadLetters).toBe(0);
    expect(jobs.activity.replay).toEqual({
      replayed: sync?.deadLetters,
      succeeded: sync?.deadLetters,
      failed: 0,
    });
    expect(renderTable(after, 0, 8.5, jobs.activity)).toContain(
      `  replay           ${sync?.deadLetters} dead letters replayed: ${sync?.deadLetters} succeeded`,
    );
    const log = jobs.takeLog().join('\n');
    expect(log).toContain('[3.0 s] the partner is down');
    expect(log).toMatch(/sync-partner: acct-\d+ dead-lettered after 2 attempts \(partner down\)/);
    expect(log).toContain('sync-partner: breaker open after 8 failed attempts in a row');
    expect(log).toContain('sync-partner: breaker closed after a successful probe');
    expect(log).toContain(
      `replay: ${sync?.deadLetters} of ${sync?.deadLetters} dead letters succeeded`,
    );
    expect(jobs.takeLog()).toEqual([]);

    const stopped = jobs.stop();
    await vi.advanceTimersByTimeAsync(2_000);
    await stopped;
    await partner.stop();
  });
});
