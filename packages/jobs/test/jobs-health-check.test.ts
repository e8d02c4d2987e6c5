import { ConfigurationError, type VigilError } from '@vigil/core';
import type { ManualClock } from '@vigil/core/testing';
import { type HealthCheck, HealthMonitor } from '@vigil/health';
import { caught } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRunner, JobTypes, TypeStats } from '../src/index.js';
import { type JobsCheckOutcome, jobsHealthCheck } from '../src/jobs-health-check.js';
import { flush, gate, runnerOnClock, tick } from './support/runner.js';

const IDLE: TypeStats = {
  queued: 0,
  delayed: 0,
  running: 0,
  overdue: 0,
  longestRunning: 0,
  concurrency: 1,
  completed: 0,
  failed: 0,
  deadLettered: 0,
  recovered: 0,
  failureRate: 0,
  recentAttempts: 0,
  timeout: undefined,
  breaker: undefined,
  p50: undefined,
  p95: undefined,
  lastError: undefined,
};

const open: JobRunner[] = [];
const monitors: HealthMonitor[] = [];
afterEach(async () => {
  for (const monitor of monitors.splice(0)) await monitor.close();
  for (const jobs of open.splice(0)) await jobs.close({ timeout: 0 });
});

/** A runner on a manual clock, closed after the test; typed loosely, as the tests run any type. */
function onClock(types: JobTypes): { jobs: JobRunner; clock: ManualClock } {
  const { jobs, clock } = runnerOnClock(types);
  open.push(jobs);
  return { jobs, clock };
}

/** A handler that ignores its signal and settles only when the test says so. */
function stuckHandler() {
  const release = gate();
  return { release: release.resolve, handler: () => release.promise };
}

function outcomeOf(check: { run(): JobsCheckOutcome }): JobsCheckOutcome {
  return check.run();
}

/** Runs `n` jobs of `type`, their rejections caught, and lets them settle. */
async function runJobs(jobs: JobRunner, type: string, payloads: readonly unknown[]): Promise<void> {
  for (const payload of payloads) {
    const handle = await jobs.run(type, payload);
    handle.result.catch(() => {});
  }
  await flush();
}

describe('jobsHealthCheck', () => {
  it('is a HealthCheck named jobs, non-critical and quick, that passes an idle runner', () => {
    const { jobs } = onClock({ email: { handler: () => {} } });
    const check: HealthCheck = jobsHealthCheck(jobs);
    expect(check).toMatchObject({ name: 'jobs', critical: false, quick: true });
    expect(check).not.toHaveProperty('weight');
    expect(outcomeOf(jobsHealthCheck(jobs))).toEqual({
      status: 'pass',
      details: {
        'email.queued': 0,
        'email.waiting': 0,
        'email.running': 0,
        'email.overdue': 0,
        'email.longestRunning': 0,
        'email.failureRate': 0,
        'email.recentAttempts': 0,
        'email.deadLettered': 0,
        'email.breaker': 'closed',
      },
    });
    expect(
      jobsHealthCheck(jobs, { name: 'queue', critical: true, weight: 3, quick: false }),
    ).toMatchObject({ name: 'queue', critical: true, weight: 3, quick: false });
  });

  describe('stuck jobs', () => {
    it('fails when overdue jobs hold every slot past timeout + stuckMargin', async () => {
      const stuck = stuckHandler();
      const { jobs, clock } = onClock({
        'export-data': { timeout: '30s', concurrency: 3, retry: false, handler: stuck.handler },
      });
      await runJobs(jobs, 'export-data', [1, 2, 3]);
      const check = jobsHealthCheck(jobs);
      await tick(clock, 30_000);
      // Overdue, but within the 30 s margin a handler gets to notice its signal.
      expect(jobs.stats()['export-data']).toMatchObject({ overdue: 3 });
      expect(outcomeOf(check).status).toBe('pass');
      await tick(clock, 30_001);
      const outcome = outcomeOf(check);
      expect(outcome.status).toBe('fail');
      expect(outcome.output).toBe(
        'export-data: 3 stuck jobs (past the 30s timeout, handler still running; the longest for 1m, over timeout + 30s margin), holding all 3 of its concurrency slots',
      );
      expect(outcome.details).toMatchObject({
        'export-data.overdue': 3,
        'export-data.longestRunning': 60_001,
      });
      stuck.release();
      await flush();
      expect(outcomeOf(check).status).toBe('pass');
    });

    it('warns while stuck jobs leave slots free; stuckMargin moves the line', async () => {
      const stuck = stuckHandler();
      const { jobs, clock } = onClock({
        report: { timeout: '10s', concurrency: 5, retry: false, handler: stuck.handler },
      });
      await runJobs(jobs, 'report', [1, 2]);
      const check = jobsHealthCheck(jobs, { stuckMargin: 0 });
      await tick(clock, 10_001);
      const outcome = outcomeOf(check);
      expect(outcome.status).toBe('warn');
      expect(outcome.output).toMatch(/^report: 2 stuck jobs \(past the 10s timeout/);
      expect(outcomeOf(jobsHealthCheck(jobs)).status).toBe('pass');
      stuck.release();
    });

    it('without a timeout, warns once a job has run longer than stuckAfter (default 10m)', async () => {
      const stuck = stuckHandler();
      const { jobs, clock } = onClock({ crawl: { retry: false, handler: stuck.handler } });
      await runJobs(jobs, 'crawl', [1]);
      const check = jobsHealthCheck(jobs);
      await tick(clock, 600_000);
      expect(outcomeOf(check).status).toBe('pass');
      await tick(clock, 1);
      expect(outcomeOf(check)).toMatchObject({
        status: 'warn',
        output:
          'crawl: a job has been running for 10m, longer than 10m (stuckAfter; the type has no timeout)',
      });
      expect(outcomeOf(jobsHealthCheck(jobs, { stuckAfter: '1h' })).status).toBe('pass');
      stuck.release();
    });
  });

  describe('failure rate', () => {
    const types = {
      flaky: {
        retry: false as const,
        breaker: false as const,
        handler: async (fail: boolean) => {
          if (fail) throw new Error('upstream said 502');
        },
      },
    };

    it('is judged over at least minAttempts (10) recent attempts', async () => {
      const { jobs } = onClock(types);
      await runJobs(jobs, 'flaky', Array(9).fill(true));
      expect(outcomeOf(jobsHealthCheck(jobs))).toMatchObject({
        status: 'pass',
        details: { 'flaky.failureRate': 1, 'flaky.recentAttempts': 9 },
      });
      expect(outcomeOf(jobsHealthCheck(jobs, { minAttempts: 5 })).status).toBe('fail');
    });

    it('fails above 50 % and says why, with the last error', async () => {
      const { jobs } = onClock(types);
      await runJobs(jobs, 'flaky', [...Array(6).fill(true), false, false]);
      await runJobs(jobs, 'flaky', [false, false]);
      expect(outcomeOf(jobsHealthCheck(jobs))).toMatchObject({
        status: 'fail',
        output:
          'flaky: 60% of the last 10 attempts failed (fail above 50%); last error: upstream said 502',
      });
    });

    it('warns above 20 %; thresholds are options', async () => {
      const { jobs } = onClock(types);
      await runJobs(jobs, 'flaky', [true, true, true, ...Array(7).fill(false)]);
      expect(outcomeOf(jobsHealthCheck(jobs))).toMatchObject({
        status: 'warn',
        output: expect.stringMatching(
          /^flaky: 30% of the last 10 attempts failed \(warn above 20%\)/,
        ),
      });
      expect(outcomeOf(jobsHealthCheck(jobs, { failureRate: { warn: 0.3 } })).status).toBe('pass');
      expect(outcomeOf(jobsHealthCheck(jobs, { failureRate: { fail: 0.25 } })).status).toBe('fail');
    });

    it('makes the service critical only when marked critical', async () => {
      const { jobs } = onClock(types);
      await runJobs(jobs, 'flaky', Array(10).fill(true));
      const degraded = new HealthMonitor({ checks: [jobsHealthCheck(jobs)] });
      const critical = new HealthMonitor({ checks: [jobsHealthCheck(jobs, { critical: true })] });
      monitors.push(degraded, critical);
      expect((await degraded.check()).status).toBe('degraded');
      const report = await critical.check();
      expect(report.status).toBe('critical');
      expect(report.checks['jobs']).toMatchObject({ status: 'fail', critical: true });
    });
  });

  describe('backlog', () => {
    it('warns above 100 jobs waiting to run; delayed jobs do not count', async () => {
      const stuck = stuckHandler();
      const { jobs } = onClock({ mail: { concurrency: 1, retry: false, handler: stuck.handler } });
      await runJobs(jobs, 'mail', Array(101).fill(0));
      for (let i = 0; i < 5; i++) await jobs.run('mail', 0, { delay: '1h' });
      // One runs, 100 wait, 5 are delayed.
      expect(outcomeOf(jobsHealthCheck(jobs))).toMatchObject({
        status: 'pass',
        details: { 'mail.queued': 105, 'mail.waiting': 100, 'mail.running': 1 },
      });
      await runJobs(jobs, 'mail', [0]);
      expect(outcomeOf(jobsHealthCheck(jobs))).toMatchObject({
        status: 'warn',
        output: 'mail: 101 jobs waiting to run (warn above 100)',
      });
      expect(outcomeOf(jobsHealthCheck(jobs, { backlog: { fail: 100 } }))).toMatchObject({
        status: 'fail',
        output: 'mail: 101 jobs waiting to run (fail above 100)',
      });
      stuck.release();
    });
  });

  it('the worst finding wins; output lists the failing types first', async () => {
    const stuck = stuckHandler();
    const { jobs } = onClock({
      a: { concurrency: 1, retry: false, handler: stuck.handler },
      b: { retry: false, breaker: false, handler: () => Promise.reject(new Error('no')) },
    });
    await runJobs(jobs, 'a', Array(3).fill(0));
    await runJobs(jobs, 'b', Array(10).fill(0));
    const outcome = outcomeOf(jobsHealthCheck(jobs, { backlog: { warn: 1 } }));
    expect(outcome.status).toBe('fail');
    expect(outcome.output).toBe(
      'b: 100% of the last 10 attempts failed (fail above 50%); last error: no; a: 2 jobs waiting to run (warn above 1)',
    );
    stuck.release();
  });

  it('warns while a type’s circuit breaker is open', async () => {
    const { jobs } = onClock({
      pay: {
        retry: false,
        breaker: { failureThreshold: 2, resetTimeout: '1m' },
        handler: () => Promise.reject(new Error('card service down')),
      },
    });
    await runJobs(jobs, 'pay', [1, 2]);
    expect(outcomeOf(jobsHealthCheck(jobs))).toMatchObject({
      status: 'warn',
      output: 'pay: circuit breaker open: its jobs wait until it closes',
      details: { 'pay.breaker': 'open' },
    });
  });

  it('fails while a shared queue cannot reach its server, and passes once it is back', () => {
    let backend: JobRunner['backend'] = {
      name: 'bullmq',
      durable: true,
      up: false,
      error: 'connect ECONNREFUSED 127.0.0.1:6379',
    };
    const check = jobsHealthCheck({
      stats: () => ({ email: IDLE }),
      get backend() {
        return backend;
      },
    });
    expect(outcomeOf(check)).toMatchObject({
      status: 'fail',
      output: 'bullmq backend unreachable: connect ECONNREFUSED 127.0.0.1:6379',
      details: { 'backend.up': false },
    });
    backend = { name: 'bullmq', durable: true, up: true };
    expect(outcomeOf(check).status).toBe('pass');
  });

  describe('options', () => {
    const jobs = { stats: () => ({}) };
    it.each([
      [{ stuckMargin: 'soon' }, 'INVALID_DURATION', /stuckMargin/],
      [{ stuckAfter: 0 }, 'INVALID_DURATION', /stuckAfter should be longer than zero/],
      [
        { failureRate: { fail: 1.5 } },
        'INVALID_OPTION',
        /failureRate\.fail should be a finite number from 0 to 1, got 1\.5/,
      ],
      [
        { failureRate: { warn: 0.6, fail: 0.4 } },
        'INVALID_OPTION',
        /failureRate\.fail \(0\.4\) should be at least failureRate\.warn \(0\.6\)/,
      ],
      [{ failureRate: { warm: 0.1 } }, 'INVALID_OPTION', /failureRate: unknown option 'warm'/],
      [
        { failureRate: 0.5 },
        'INVALID_OPTION',
        /failureRate: options should be an object, got 0\.5/,
      ],
      [
        { backlog: { warn: -1 } },
        'INVALID_OPTION',
        /backlog\.warn should be a non-negative integer, got -1/,
      ],
      [
        { backlog: { warn: 10, fail: 5 } },
        'INVALID_OPTION',
        /backlog\.fail \(5\) should be at least backlog\.warn \(10\)/,
      ],
      [
        { minAttempts: 0 },
        'INVALID_OPTION',
        /minAttempts should be an integer from 1 to 100, got 0/,
      ],
      [{ minAttempts: 101 }, 'INVALID_OPTION', /minAttempts should be an integer from 1 to 100/],
      [{ critical: 'yes' }, 'INVALID_OPTION', /critical should be true or false/],
      [{ name: '' }, 'INVALID_OPTION', /name should be a non-empty string/],
      [{ weight: -1 }, 'INVALID_OPTION', /weight should be a finite number of at least 0/],
      [{ stuckMargn: '1m' }, 'INVALID_OPTION', /unknown option 'stuckMargn'/],
    ])('refuses %o at construction (%s)', (options, code, message) => {
      const error = caught(() => jobsHealthCheck(jobs, options as never));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as VigilError).code).toBe(code);
      expect((error as Error).message).toMatch(/^jobsHealthCheck: /);
      expect((error as Error).message).toMatch(message);
    });

    it('refuses something that is not a runner', () => {
      const error = caught(() => jobsHealthCheck({} as JobRunner));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toBe(
        'jobsHealthCheck: runner should be a JobRunner (with stats()), got {}',
      );
    });

    it('a lone fail below the default warn brings warn down with it', () => {
      const busy = {
        stats: () => ({
          q: { ...IDLE, queued: 60, completed: 8, failed: 2, failureRate: 0.2, recentAttempts: 10 },
        }),
      };
      const check = jobsHealthCheck(busy, { backlog: { fail: 50 }, failureRate: { fail: 0.1 } });
      expect(outcomeOf(check)).toMatchObject({
        status: 'fail',
        output:
          'q: 20% of the last 10 attempts failed (fail above 10%); q: 60 jobs waiting to run (fail above 50)',
      });
      expect(outcomeOf(jobsHealthCheck(busy, { backlog: { warn: 50 } }))).toMatchObject({
        status: 'warn',
        output: 'q: 60 jobs waiting to run (warn above 50)',
      });
    });
  });
});
