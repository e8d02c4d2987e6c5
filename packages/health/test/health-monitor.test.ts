import type { BackgroundErrorContext } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { deferred } from '@vigil/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type CheckResult,
  type HealthCheck,
  HealthCheckTimeoutError,
  HealthClosedError,
  HealthMonitor,
  type HealthReport,
  type StatusChangeEvent,
} from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

function fixed(name: string, status: 'pass' | 'warn' | 'fail', extra: Partial<HealthCheck> = {}) {
  return { name, run: () => ({ status }), ...extra } satisfies HealthCheck;
}

/** A check that settles after `ms` of (fake) time. */
function after(name: string, ms: number): HealthCheck {
  return {
    name,
    run: () => new Promise((resolve) => setTimeout(() => resolve({ status: 'pass' }), ms)),
  };
}

describe('HealthMonitor status and score', () => {
  it('is healthy with score 100 when every check passes', async () => {
    const monitor = new HealthMonitor({ checks: [fixed('a', 'pass'), fixed('b', 'pass')] });
    const report = await monitor.check();
    expect(report.status).toBe('healthy');
    expect(report.score).toBe(100);
    expect(Object.keys(report.checks)).toEqual(['a', 'b']);
  });

  it('is critical when a critical check fails', async () => {
    const monitor = new HealthMonitor({
      checks: [fixed('db', 'fail', { critical: true }), fixed('cache', 'pass')],
    });
    expect((await monitor.check()).status).toBe('critical');
  });

  it('treats checks as critical unless they say otherwise', async () => {
    const monitor = new HealthMonitor({ checks: [fixed('db', 'fail')] });
    const report = await monitor.check();
    expect(report.status).toBe('critical');
    expect(report.checks.db?.critical).toBe(true);
  });

  it('is only degraded when a non-critical check fails', async () => {
    const monitor = new HealthMonitor({
      checks: [fixed('db', 'pass'), fixed('cache', 'fail', { critical: false })],
    });
    expect((await monitor.check()).status).toBe('degraded');
  });

  it('is degraded when a critical check warns', async () => {
    const monitor = new HealthMonitor({ checks: [fixed('db', 'warn', { critical: true })] });
    expect((await monitor.check()).status).toBe('degraded');
  });

  it('scores the weighted share of pass (1), warn (0.5) and fail (0)', async () => {
    const monitor = new HealthMonitor({
      checks: [
        fixed('db', 'pass', { weight: 3 }),
        fixed('cache', 'warn', { weight: 1, critical: false }),
        fixed('search', 'fail', { weight: 2, critical: false }),
        fixed('ignored', 'fail', { weight: 0, critical: false }),
      ],
    });
    // (3 × 1 + 1 × 0.5 + 2 × 0) / 6 = 0.5833…
    expect((await monitor.check()).score).toBe(58);
  });

  it('scores 100 and is healthy with no checks', async () => {
    const report = await new HealthMonitor().check();
    expect(report).toMatchObject({ status: 'healthy', score: 100, checks: {} });
  });

  it('reports version, uptime and the time the checks finished', async () => {
    const clock = manualClock(Date.UTC(2025, 0, 1));
    const monitor = new HealthMonitor({ version: '1.2.3', serviceId: 'api', clock });
    const first = await monitor.check();
    clock.advance(90_000);
    const second = await new HealthMonitor({ clock, cacheFor: 0 }).check();
    expect(first.version).toBe('1.2.3');
    expect(first.serviceId).toBe('api');
    expect(first.time).toBe('2025-01-01T00:00:00.000Z');
    expect(first.uptime).toBeGreaterThanOrEqual(0);
    expect(second.version).toBeUndefined();
    const later = await monitor.check({ quick: true });
    expect(later.uptime - first.uptime).toBeCloseTo(90, 3);
  });
});

describe('HealthMonitor check results', () => {
  it('reports what each check observed, with its key and duration', async () => {
    const monitor = new HealthMonitor({
      clock: manualClock(Date.UTC(2025, 0, 1)),
      checks: [
        {
          name: 'db',
          component: 'postgres',
          measurement: 'responseTime',
          componentType: 'datastore',
          run: () => ({
            status: 'warn',
            observedValue: 12.5,
            observedUnit: 'ms',
            output: 'slow',
            details: { idle: 2 },
          }),
        },
      ],
    });
    const result = (await monitor.check()).checks.db as CheckResult;
    expect(result).toMatchObject({
      name: 'db',
      key: 'postgres:responseTime',
      component: 'postgres',
      measurement: 'responseTime',
      componentType: 'datastore',
      status: 'warn',
      observedValue: 12.5,
      observedUnit: 'ms',
      output: 'slow',
      details: { idle: 2 },
      critical: true,
      weight: 1,
      quick: false,
      time: '2025-01-01T00:00:00.000Z',
    });
    expect(result.duration).toBeGreaterThanOrEqual(0);
  });

  it('reports a check that throws as fail with the error message', async () => {
    const monitor = new HealthMonitor({
      checks: [
        {
          name: 'sync',
          run: () => {
            throw new Error('boom');
          },
        },
        {
          name: 'async',
          run: () => Promise.reject(new Error('down', { cause: new Error('ECONNREFUSED') })),
        },
      ],
    });
    const report = await monitor.check();
    expect(report.checks.sync).toMatchObject({ status: 'fail', output: 'boom' });
    expect(report.checks.async).toMatchObject({ status: 'fail', output: 'down: ECONNREFUSED' });
  });

  it('takes true or nothing as pass and false as fail', async () => {
    const monitor = new HealthMonitor({
      checks: [
        { name: 'yes', run: () => true },
        { name: 'nothing', run: () => {} },
        { name: 'no', run: async () => false },
      ],
    });
    const report = await monitor.check();
    expect(report.checks.yes?.status).toBe('pass');
    expect(report.checks.nothing?.status).toBe('pass');
    expect(report.checks.no).toMatchObject({ status: 'fail', output: 'the check returned false' });
  });

  it('reports a malformed outcome as fail, saying what was wrong', async () => {
    const monitor = new HealthMonitor({
      checks: [
        { name: 'status', run: () => ({ status: 'ok' }) as never },
        { name: 'value', run: () => ({ status: 'pass', observedValue: Number.NaN }) },
        { name: 'number', run: () => 42 as never },
      ],
    });
    const report = await monitor.check();
    expect(report.checks.status?.status).toBe('fail');
    expect(report.checks.status?.output).toContain('status is not pass, warn or fail');
    expect(report.checks.value?.output).toContain('observedValue is not a finite number');
    expect(report.checks.number?.output).toContain('the check returned 42: not an outcome object');
  });

  it('runs the checks concurrently', async () => {
    vi.useFakeTimers();
    const monitor = new HealthMonitor({
      checks: [after('a', 300), after('b', 300), after('c', 300)],
    });
    let report: HealthReport | undefined;
    void monitor.check().then((r) => {
      report = r;
    });
    await vi.advanceTimersByTimeAsync(300);
    expect(report?.status).toBe('healthy');
  });
});

describe('HealthMonitor timeouts', () => {
  it('reports a hanging check as fail at its timeout without waiting for it', async () => {
    vi.useFakeTimers();
    const monitor = new HealthMonitor({
      timeout: '1s',
      checks: [{ name: 'hangs', run: () => new Promise(() => {}) }, fixed('ok', 'pass')],
    });
    let report: HealthReport | undefined;
    void monitor.check().then((r) => {
      report = r;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(report).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(report?.checks.hangs).toMatchObject({ status: 'fail', output: 'timeout after 1000ms' });
    expect(report?.checks.ok?.status).toBe('pass');
    expect(report?.status).toBe('critical');
  });

  it("uses a check's own timeout over the monitor's", async () => {
    vi.useFakeTimers();
    const monitor = new HealthMonitor({
      timeout: '10s',
      checks: [{ name: 'slow', timeout: 250, run: () => new Promise(() => {}) }],
    });
    const pending = monitor.check();
    await vi.advanceTimersByTimeAsync(250);
    expect((await pending).checks.slow?.output).toBe('timeout after 250ms');
  });

  it('aborts the signal of a timed-out check with HealthCheckTimeoutError', async () => {
    vi.useFakeTimers();
    let seen: AbortSignal | undefined;
    const monitor = new HealthMonitor({
      checks: [
        {
          name: 'fetches',
          timeout: 100,
          run: (signal) => {
            seen = signal;
            return new Promise(() => {});
          },
        },
      ],
    });
    const pending = monitor.check();
    expect(seen?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    await pending;
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(HealthCheckTimeoutError);
    expect(seen?.reason).toMatchObject({
      code: 'HEALTH_CHECK_TIMEOUT',
      check: 'fetches',
      timeout: 100,
    });
  });

  it('clears the timer of a check that finished in time', async () => {
    vi.useFakeTimers();
    const monitor = new HealthMonitor({ timeout: '5s', checks: [fixed('quick', 'pass')] });
    await monitor.check();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('HealthMonitor caching', () => {
  class Counting implements HealthCheck {
    readonly name = 'db';
    runs = 0;
    run() {
      this.runs += 1;
      return { status: 'pass' as const };
    }
  }
  const counting = () => new Counting();

  it('serves the last report for cacheFor, then runs again', async () => {
    const clock = manualClock();
    const db = counting();
    const monitor = new HealthMonitor({ checks: [db], cacheFor: '5s', clock });
    expect((await monitor.check()).cached).toBe(false);
    clock.advance(4_999);
    const again = await monitor.check();
    expect(again.cached).toBe(true);
    expect(db.runs).toBe(1);
    clock.advance(1);
    expect((await monitor.check()).cached).toBe(false);
    expect(db.runs).toBe(2);
  });

  it('runs every time with cacheFor 0', async () => {
    const db = counting();
    const monitor = new HealthMonitor({ checks: [db], cacheFor: 0, clock: manualClock() });
    await monitor.check();
    await monitor.check();
    expect(db.runs).toBe(2);
  });

  it('shares one run between callers that arrive while it runs', async () => {
    const gate = deferred<void>();
    let runs = 0;
    const monitor = new HealthMonitor({
      cacheFor: 0,
      checks: [
        {
          name: 'db',
          run: async () => {
            runs += 1;
            await gate.promise;
            return { status: 'pass' };
          },
        },
      ],
    });
    const calls = [monitor.check(), monitor.check(), monitor.check()];
    gate.resolve();
    const reports = await Promise.all(calls);
    expect(runs).toBe(1);
    expect(reports[1]).toBe(reports[0]);
  });

  it('does not keep a report fresh when the clock goes backwards', async () => {
    const clock = manualClock();
    const db = counting();
    const monitor = new HealthMonitor({ checks: [db], cacheFor: '5s', clock });
    await monitor.check();
    clock.set(clock.now() - 60_000);
    await monitor.check();
    expect(db.runs).toBe(2);
  });
});

describe('HealthMonitor quick mode', () => {
  it('runs only the checks marked quick', async () => {
    const monitor = new HealthMonitor({
      checks: [fixed('memory', 'pass', { quick: true }), fixed('db', 'fail')],
    });
    const report = await monitor.check({ quick: true });
    expect(Object.keys(report.checks)).toEqual(['memory']);
    expect(report).toMatchObject({ status: 'healthy', quick: true });
  });

  it("answers from a fresh full report's quick checks instead of running them", async () => {
    const clock = manualClock();
    let quickRuns = 0;
    const monitor = new HealthMonitor({
      clock,
      cacheFor: '5s',
      checks: [
        { name: 'memory', quick: true, run: () => void (quickRuns += 1) },
        fixed('db', 'pass'),
      ],
    });
    await monitor.check();
    const quick = await monitor.check({ quick: true });
    expect(quickRuns).toBe(1);
    expect(quick).toMatchObject({ quick: true, cached: true, status: 'healthy' });
    expect(Object.keys(quick.checks)).toEqual(['memory']);
  });

  it('caches quick reports apart from full ones', async () => {
    const clock = manualClock();
    let fullRuns = 0;
    let quickRuns = 0;
    const monitor = new HealthMonitor({
      clock,
      cacheFor: '5s',
      checks: [
        { name: 'memory', quick: true, run: () => void (quickRuns += 1) },
        { name: 'db', run: () => void (fullRuns += 1) },
      ],
    });
    await monitor.check({ quick: true });
    expect((await monitor.check({ quick: true })).cached).toBe(true);
    expect((await monitor.check()).cached).toBe(false);
    expect({ fullRuns, quickRuns }).toEqual({ fullRuns: 1, quickRuns: 2 });
  });

  it('answers healthy when no check is quick', async () => {
    const monitor = new HealthMonitor({ checks: [fixed('db', 'fail')] });
    expect(await monitor.check({ quick: true })).toMatchObject({ status: 'healthy', checks: {} });
  });
});

describe('HealthMonitor events', () => {
  it('emits each result, each report and status changes of full runs', async () => {
    let status: 'pass' | 'fail' = 'pass';
    const monitor = new HealthMonitor({
      cacheFor: 0,
      checks: [{ name: 'db', run: () => ({ status }) }],
    });
    const results: string[] = [];
    const changes: StatusChangeEvent[] = [];
    let reports = 0;
    monitor.on('result', (result) => results.push(`${result.name}:${result.status}`));
    monitor.on('report', () => void (reports += 1));
    monitor.on('statusChange', (event) => changes.push(event));
    await monitor.check();
    await monitor.check();
    status = 'fail';
    await monitor.check();
    expect(results).toEqual(['db:pass', 'db:pass', 'db:fail']);
    expect(reports).toBe(3);
    expect(changes.map(({ from, to }) => [from, to])).toEqual([
      [undefined, 'healthy'],
      ['healthy', 'critical'],
    ]);
  });
});

describe('HealthMonitor interval', () => {
  it('runs the full checks every interval until closed', async () => {
    vi.useFakeTimers();
    let runs = 0;
    const monitor = new HealthMonitor({
      interval: '10s',
      cacheFor: 0,
      checks: [{ name: 'db', run: () => void (runs += 1) }],
    });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(2);
    await monitor.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends a failing background run to onError, with the operation, and keeps going', async () => {
    vi.useFakeTimers();
    let runs = 0;
    const errors: [unknown, BackgroundErrorContext][] = [];
    const monitor = new HealthMonitor({
      interval: 1_000,
      cacheFor: 0,
      checks: [{ name: 'db', run: () => void (runs += 1) }],
      onError: (error, context) => errors.push([error, context]),
    });
    monitor.once('report', () => {
      throw new Error('listener bug');
    });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(errors).toEqual([
      [new Error('listener bug'), { source: 'HealthMonitor', operation: 'interval run' }],
    ]);
    expect(runs).toBe(2);
    await monitor.close();
  });

  it('without onError, warns once (VIGIL_BACKGROUND_ERROR) however often the run fails', async () => {
    vi.useFakeTimers();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const monitor = new HealthMonitor({ interval: 1_000, cacheFor: 0 });
      monitor.on('report', () => {
        throw new Error('listener bug');
      });
      await vi.advanceTimersByTimeAsync(3_000);
      await monitor.close();
      vi.useRealTimers();
      // process.emitWarning emits on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ name: 'VigilWarning', code: 'VIGIL_BACKGROUND_ERROR' });
    expect(warnings[0]?.message).toContain('HealthMonitor: interval run failed');
  });

  it('schedules through the timers option, and clears its timer on close()', async () => {
    const scheduled = new Map<number, { callback: () => void; ms: number }>();
    let next = 0;
    const timers = {
      setTimeout: (callback: () => void, ms: number) => {
        scheduled.set(++next, { callback, ms });
        return next;
      },
      clearTimeout: (handle: unknown) => void scheduled.delete(handle as number),
    };
    let runs = 0;
    const monitor = new HealthMonitor({
      interval: '30s',
      timers,
      cacheFor: 0,
      checks: [{ name: 'db', run: () => void (runs += 1) }],
    });
    expect([...scheduled.values()].map((timer) => timer.ms)).toEqual([30_000]);
    const [handle, timer] = [...scheduled][0] as [number, { callback: () => void }];
    scheduled.delete(handle);
    timer.callback();
    await vi.waitFor(() => expect(runs).toBe(1));
    // The check's own timeout went through the same timers, and was cleared when it passed.
    await vi.waitFor(() => expect([...scheduled.values()].map((t) => t.ms)).toEqual([30_000]));
    await monitor.close();
    expect(scheduled.size).toBe(0);
  });

  it("reports a check's failing close() to onError and still closes", async () => {
    const errors: BackgroundErrorContext[] = [];
    const monitor = new HealthMonitor({
      checks: [
        {
          name: 'pool',
          run: () => true,
          close: () => Promise.reject(new Error('already ended')),
        },
      ],
      onError: (_error, context) => errors.push(context),
    });
    await expect(monitor.close()).resolves.toBeUndefined();
    expect(errors).toEqual([{ source: 'HealthMonitor', operation: "close check 'pool'" }]);
  });
});

describe('HealthMonitor close', () => {
  it('aborts the checks still running and reports them as fail', async () => {
    let seen: AbortSignal | undefined;
    const monitor = new HealthMonitor({
      timeout: '1h',
      checks: [
        {
          name: 'hangs',
          run: (signal) => {
            seen = signal;
            return new Promise(() => {});
          },
        },
      ],
    });
    const pending = monitor.check();
    await monitor.close();
    const report = await pending;
    expect(report.checks.hangs?.status).toBe('fail');
    expect(report.checks.hangs?.output).toContain('the health monitor is closed');
    expect(seen?.reason).toBeInstanceOf(HealthClosedError);
  });

  it('rejects check() afterwards with HEALTH_CLOSED', async () => {
    const monitor = new HealthMonitor();
    await monitor.close();
    await expect(monitor.check()).rejects.toMatchObject({ code: 'HEALTH_CLOSED' });
    expect(monitor.closed).toBe(true);
  });

  it("calls each check's start at construction and close at close(), once", async () => {
    const calls: string[] = [];
    const monitor = new HealthMonitor({
      checks: [
        {
          name: 'a',
          run: () => true,
          start: () => void calls.push('start a'),
          close: async () => void calls.push('close a'),
        },
        { name: 'b', run: () => true, close: () => void calls.push('close b') },
      ],
    });
    expect(calls).toEqual(['start a']);
    await Promise.all([monitor.close(), monitor.close()]);
    await monitor[Symbol.asyncDispose]();
    expect(calls).toEqual(['start a', 'close a', 'close b']);
  });

  it("still closes the other checks when one check's close throws", async () => {
    const closed: string[] = [];
    const monitor = new HealthMonitor({
      checks: [
        {
          name: 'a',
          run: () => true,
          close: () => {
            throw new Error('close failed');
          },
        },
        { name: 'b', run: () => true, close: () => void closed.push('b') },
      ],
    });
    await monitor.close();
    expect(closed).toEqual(['b']);
  });
});

describe('HealthMonitor construction', () => {
  it("closes the checks already started when a later check's start throws", () => {
    const calls: string[] = [];
    expect(
      () =>
        new HealthMonitor({
          checks: [
            {
              name: 'a',
              run: () => true,
              start: () => void calls.push('start a'),
              close: () => void calls.push('close a'),
            },
            {
              name: 'b',
              run: () => true,
              start: () => {
                throw new Error('no sampler');
              },
            },
          ],
        }),
    ).toThrow('no sampler');
    expect(calls).toEqual(['start a', 'close a']);
  });
});
