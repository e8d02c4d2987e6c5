import { manualClock } from '@vigil/core/testing';
import { deferred } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { type HealthCheck, HealthMonitor } from '../src/index.js';

function switchable(name: string, extra: Partial<HealthCheck> = {}) {
  const state = { status: 'pass' as 'pass' | 'warn' | 'fail', runs: 0 };
  const check: HealthCheck = {
    name,
    ...extra,
    run: () => {
      state.runs += 1;
      return { status: state.status };
    },
  };
  return { check, state };
}

describe('HealthMonitor liveness', () => {
  it('passes without running any check, even when a critical check fails', async () => {
    const db = switchable('db');
    db.state.status = 'fail';
    const monitor = new HealthMonitor({ checks: [db.check], version: '2.0.0' });
    const probe = await monitor.live();
    expect(probe).toMatchObject({ probe: 'liveness', status: 'pass', version: '2.0.0' });
    expect(probe.report).toBeUndefined();
    expect(db.state.runs).toBe(0);
  });

  it('still passes while shutting down', async () => {
    const monitor = new HealthMonitor();
    monitor.beginShutdown();
    expect((await monitor.live()).status).toBe('pass');
  });
});

describe('HealthMonitor startup', () => {
  it('in auto mode, runs the full checks and passes once they are not critical', async () => {
    const db = switchable('db');
    db.state.status = 'fail';
    const monitor = new HealthMonitor({ checks: [db.check], cacheFor: 0 });
    const before = await monitor.started();
    expect(before).toMatchObject({ probe: 'startup', status: 'fail' });
    expect(before.output).toBe('not started: critical checks fail: db');
    expect(before.report?.status).toBe('critical');
    db.state.status = 'pass';
    expect((await monitor.started()).status).toBe('pass');
    db.state.status = 'fail';
    const runs = db.state.runs;
    // Once started, always started: no more checks run for this probe.
    expect((await monitor.started()).status).toBe('pass');
    expect(db.state.runs).toBe(runs);
  });

  it('counts a degraded run as started', async () => {
    const cache = switchable('cache', { critical: false });
    cache.state.status = 'fail';
    const monitor = new HealthMonitor({ checks: [cache.check] });
    expect((await monitor.started()).status).toBe('pass');
  });

  it('is started by any full check() that is not critical, and emits started once', async () => {
    const monitor = new HealthMonitor({ checks: [switchable('db').check] });
    let started = 0;
    monitor.on('started', () => void (started += 1));
    await monitor.check();
    await monitor.check({ quick: true });
    expect(started).toBe(1);
    expect((await monitor.started()).status).toBe('pass');
  });

  it('is not started by a quick check', async () => {
    const monitor = new HealthMonitor({
      startup: 'auto',
      checks: [switchable('memory', { quick: true }).check],
      clock: manualClock(),
    });
    let started = 0;
    monitor.on('started', () => void (started += 1));
    await monitor.check({ quick: true });
    expect(started).toBe(0);
  });

  it('in manual mode, fails until markStarted() whatever the checks say', async () => {
    const db = switchable('db');
    const monitor = new HealthMonitor({ checks: [db.check], startup: 'manual' });
    await monitor.check();
    expect(await monitor.started()).toMatchObject({
      status: 'fail',
      output: 'not started: waiting for markStarted()',
    });
    monitor.markStarted();
    expect((await monitor.started()).status).toBe('pass');
  });
});

describe('HealthMonitor readiness', () => {
  it('passes once started when the quick checks are not critical, running only those', async () => {
    const memory = switchable('memory', { quick: true });
    const db = switchable('db');
    const monitor = new HealthMonitor({
      checks: [memory.check, db.check],
      startup: 'manual',
      cacheFor: 0,
    });
    monitor.markStarted();
    const probe = await monitor.ready();
    expect(probe).toMatchObject({ probe: 'readiness', status: 'pass' });
    expect(Object.keys(probe.report?.checks ?? {})).toEqual(['memory']);
    expect(db.state.runs).toBe(0);
    memory.state.status = 'fail';
    expect(await monitor.ready()).toMatchObject({
      status: 'fail',
      output: 'critical checks fail: memory',
    });
  });

  it('answers the same whether or not someone just read the full report', async () => {
    // A critical check that is not quick fails: /health is 503, readiness looks at the quick
    // checks only. It used to answer from the full report while that was fresh, so it flipped
    // to 503 whenever someone had called /health in the last cacheFor.
    const memory = switchable('memory', { quick: true });
    const db = switchable('db');
    db.state.status = 'fail';
    const clock = manualClock();
    const monitor = new HealthMonitor({
      checks: [memory.check, db.check],
      startup: 'manual',
      cacheFor: '2s',
      clock,
    });
    monitor.markStarted();
    const alone = await monitor.ready();
    expect(alone.status).toBe('pass');
    clock.advance(2_000);
    expect((await monitor.check()).status).toBe('critical');
    const afterHealth = await monitor.ready();
    expect(afterHealth).toMatchObject({ status: 'pass', report: { status: 'healthy' } });
    expect(Object.keys(afterHealth.report?.checks ?? {})).toEqual(['memory']);
  });

  it('stays ready when a non-critical check fails', async () => {
    const cache = switchable('cache', { critical: false, quick: true });
    cache.state.status = 'fail';
    const monitor = new HealthMonitor({ checks: [cache.check] });
    monitor.markStarted();
    expect((await monitor.ready()).status).toBe('pass');
  });

  it("runs every check with readiness: 'full'", async () => {
    const db = switchable('db');
    const monitor = new HealthMonitor({ checks: [db.check], readiness: 'full', cacheFor: 0 });
    expect((await monitor.ready()).status).toBe('pass');
    db.state.status = 'fail';
    expect((await monitor.ready()).status).toBe('fail');
  });

  it("runs no check with readiness: 'none' once started", async () => {
    const db = switchable('db');
    const monitor = new HealthMonitor({ checks: [db.check], readiness: 'none', startup: 'manual' });
    monitor.markStarted();
    const probe = await monitor.ready();
    expect(probe.status).toBe('pass');
    expect(db.state.runs).toBe(0);
  });

  it('fails until the startup probe passes', async () => {
    const monitor = new HealthMonitor({ startup: 'manual' });
    expect(await monitor.ready()).toMatchObject({
      status: 'fail',
      output: 'not started: waiting for markStarted()',
    });
  });

  it('turns false on beginShutdown(), so that a load balancer drains the instance', async () => {
    const monitor = new HealthMonitor({ checks: [switchable('db').check] });
    expect((await monitor.ready()).status).toBe('pass');
    let shutdowns = 0;
    monitor.on('shutdown', () => void (shutdowns += 1));
    monitor.beginShutdown();
    monitor.beginShutdown();
    expect(monitor.shuttingDown).toBe(true);
    expect(await monitor.ready()).toMatchObject({ status: 'fail', output: 'shutting down' });
    expect(shutdowns).toBe(1);
    // The full report keeps working for the people watching the drain.
    expect((await monitor.check()).status).toBe('healthy');
  });

  it('fails when shutdown begins while its checks run', async () => {
    const gate = deferred<void>();
    const monitor = new HealthMonitor({
      startup: 'manual',
      checks: [{ name: 'slow', quick: true, run: () => gate.promise }],
    });
    monitor.markStarted();
    const pending = monitor.ready();
    monitor.beginShutdown();
    gate.resolve();
    expect(await pending).toMatchObject({ status: 'fail', output: 'shutting down' });
  });

  it('fails with closed after close()', async () => {
    const monitor = new HealthMonitor();
    await monitor.close();
    expect(await monitor.ready()).toMatchObject({ status: 'fail', output: 'closed' });
    expect(await monitor.started()).toMatchObject({ status: 'fail', output: 'closed' });
  });
});
