import {
  type BackgroundErrorReporter,
  backgroundErrorReporter,
  type TimerHandle,
} from '@vigil/core';
import { EventEmitter } from 'eventemitter3';
import type { CheckResult } from './check-result.js';
import { HealthClosedError } from './errors.js';
import type { HealthEvents } from './health-events.js';
import { HealthMetrics } from './health-metrics.js';
import {
  type HealthMonitorOptions,
  type MonitorConfig,
  monitorConfig,
} from './health-monitor-options.js';
import { type HealthReport, type HealthStatus, summarize } from './health-report.js';
import {
  criticalOutput,
  type ProbeKind,
  type ProbeReport,
  probeReport,
  uptimeSince,
} from './probe-report.js';
import { ReportSlot } from './report-slot.js';
import { type ResolvedCheck, startChecks } from './resolved-check.js';
import { isoTime, runCheck } from './run-check.js';

/** Options of `monitor.check()`. */
export interface CheckCallOptions {
  /**
   * Run only the checks marked `quick`, or serve a full report that is still fresh. Default
   * `false`.
   */
  quick?: boolean | undefined;
}

/**
 * Runs health checks concurrently, each under its own timeout, and answers a status
 * (`healthy` / `degraded` / `critical`), a 0–100 score and every check's result; caches the
 * report for `cacheFor`; answers the Kubernetes liveness, readiness and startup probes.
 */
export class HealthMonitor extends EventEmitter<HealthEvents> {
  readonly #config: MonitorConfig;
  readonly #quickChecks: readonly ResolvedCheck[];
  readonly #metrics: HealthMetrics | undefined;
  readonly #full = new ReportSlot();
  readonly #quick = new ReportSlot();
  /** The controllers of the checks running now, aborted by `close()`. */
  readonly #running = new Set<AbortController>();
  /** Clock reading at which the process started. */
  readonly #processStart: number;
  #status: HealthStatus | undefined;
  #started = false;
  #shuttingDown = false;
  #closing: Promise<void> | undefined;
  #timer: TimerHandle | undefined;
  readonly #report: BackgroundErrorReporter;

  constructor(options?: HealthMonitorOptions) {
    super();
    this.#config = monitorConfig(options);
    this.#report = backgroundErrorReporter('HealthMonitor', this.#config.onError);
    const { checks, registry, clock, interval } = this.#config;
    this.#quickChecks = checks.filter((check) => check.quick);
    this.#processStart = clock.now() - process.uptime() * 1000;
    this.#metrics = registry === undefined ? undefined : new HealthMetrics(registry);
    startChecks(checks);
    if (interval !== undefined) this.#schedule(interval);
  }

  /** Whether `beginShutdown()` (or `close()`) was called. */
  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Runs the checks (all of them, or with `quick: true` only those marked quick) and answers
   * the report; within `cacheFor` of the last run it answers that run's report instead, and
   * callers that arrive during a run share it. A quick call can also be answered from a fresh
   * full report, with only the quick checks' results in it (status and score are theirs): a
   * quick answer never depends on whether someone asked for the full report just before.
   * Rejects with `HealthClosedError` after `close()`.
   */
  check(options: CheckCallOptions = {}): Promise<HealthReport> {
    if (this.#closing !== undefined) return Promise.reject(new HealthClosedError());
    const quick = options.quick === true;
    const { cacheFor, clock } = this.#config;
    const now = clock.now();
    const full = this.#full.fresh(now, cacheFor);
    if (!quick) {
      if (full !== undefined) return Promise.resolve(this.#served(full));
      return this.#full.run(() => this.#run(false), clock);
    }
    const cached = this.#quick.fresh(now, cacheFor);
    if (cached !== undefined) return Promise.resolve(this.#served(cached));
    if (full !== undefined) return Promise.resolve(this.#served(this.#quickPart(full)));
    return this.#quick.run(() => this.#run(true), clock);
  }

  /**
   * The liveness probe: passes while the process can answer. It runs no check, so that a
   * database outage does not make Kubernetes restart every instance.
   */
  async live(): Promise<ProbeReport> {
    return this.#probe('liveness');
  }

  /**
   * The readiness probe: fails after `beginShutdown()` or `close()`, and until the startup
   * probe passes; then runs the `readiness` checks (cached like `check()`) and fails when the
   * status is `critical`.
   */
  async ready(): Promise<ProbeReport> {
    const stopped = this.#stopped();
    if (stopped !== undefined) return this.#probe('readiness', stopped);
    const startup = await this.started();
    if (startup.status === 'fail') {
      return this.#probe('readiness', startup.output ?? 'not started', startup.report);
    }
    const mode = this.#config.readiness;
    if (mode === 'none') return this.#probe('readiness');
    const report = await this.#checkUnlessClosed(mode === 'quick');
    const stoppedSince = this.#stopped();
    if (report === undefined || stoppedSince !== undefined) {
      return this.#probe('readiness', stoppedSince ?? 'closed', report);
    }
    return report.status === 'critical'
      ? this.#probe('readiness', criticalOutput(report), report)
      : this.#probe('readiness', undefined, report);
  }

  /**
   * The startup probe: passes once `markStarted()` was called or (with `startup: 'auto'`) a
   * full check finished without a critical failure; before that, in `auto` mode, it runs the
   * full checks (cached like `check()`).
   */
  async started(): Promise<ProbeReport> {
    if (this.#started) return this.#probe('startup');
    if (this.#closing !== undefined) return this.#probe('startup', 'closed');
    if (this.#config.startup === 'manual') {
      return this.#probe('startup', 'not started: waiting for markStarted()');
    }
    const report = await this.#checkUnlessClosed(false);
    if (this.#started) return this.#probe('startup', undefined, report);
    return this.#probe(
      'startup',
      report === undefined ? 'closed' : `not started: ${criticalOutput(report)}`,
      report,
    );
  }

  /** Makes the startup probe pass from now on. */
  markStarted(): void {
    if (this.#started) return;
    this.#started = true;
    this.emit('started');
  }

  /**
   * Makes readiness fail from now on, so that a load balancer drains this instance; `check()`
   * and liveness keep working. Call it on SIGTERM, wait for the drain, then `close()`.
   */
  beginShutdown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    this.emit('shutdown');
  }

  /**
   * Stops the background runs, aborts the checks still running (they are reported `fail`,
   * `health monitor is closed`), waits for the runs in progress to answer and calls each check's
   * `close()` (a failing one goes to `onError`). `check()` rejects afterwards. Idempotent; never
   * rejects.
   */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.beginShutdown();
    if (this.#timer !== undefined) this.#config.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    const reason = new HealthClosedError();
    for (const controller of this.#running) controller.abort(reason);
    this.#closing = (async () => {
      await Promise.allSettled([this.#full.inflight, this.#quick.inflight]);
      await Promise.all(
        this.#config.checks.map(async (check) => {
          try {
            await check.close?.();
          } catch (error) {
            this.#report(error, `close check '${check.name}'`);
          }
        }),
      );
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #run(quick: boolean): Promise<HealthReport> {
    const checks = quick ? this.#quickChecks : this.#config.checks;
    const results = await Promise.all(checks.map((check) => this.#runOne(check)));
    const { status, score } = summarize(results);
    const report: HealthReport = {
      status,
      score,
      // fromEntries defines own properties, whatever the names (even `__proto__`).
      checks: Object.fromEntries(results.map((result) => [result.name, result])),
      uptime: uptimeSince(this.#config.clock, this.#processStart),
      ...this.#config.service,
      time: isoTime(this.#config.clock),
      quick,
      cached: false,
    };
    if (!quick) {
      this.#metrics?.recordReport(report);
      const from = this.#status;
      this.#status = status;
      if (status !== 'critical' && this.#config.startup === 'auto') this.markStarted();
      if (from !== status) this.emit('statusChange', { from, to: status, report });
    }
    this.emit('report', report);
    return report;
  }

  async #runOne(check: ResolvedCheck): Promise<CheckResult> {
    const controller = new AbortController();
    if (this.#closing !== undefined) controller.abort(new HealthClosedError());
    this.#running.add(controller);
    const result = await runCheck(check, controller, this.#config.clock, this.#config.timers);
    this.#running.delete(controller);
    this.#metrics?.recordCheck(result);
    this.emit('result', result);
    return result;
  }

  /** The quick checks' part of a full report, with their status and score. */
  #quickPart(full: HealthReport): HealthReport {
    const results = this.#quickChecks.flatMap((check) => {
      const result = full.checks[check.name];
      return result === undefined ? [] : [result];
    });
    return {
      ...full,
      ...summarize(results),
      checks: Object.fromEntries(results.map((result) => [result.name, result])),
      quick: true,
    };
  }

  /** A cached report, marked so, with the uptime of now. */
  #served(report: HealthReport): HealthReport {
    return { ...report, uptime: uptimeSince(this.#config.clock, this.#processStart), cached: true };
  }

  /** A report for a probe, or undefined when the monitor closed meanwhile. */
  async #checkUnlessClosed(quick: boolean): Promise<HealthReport | undefined> {
    try {
      return await this.check({ quick });
    } catch (error) {
      if (error instanceof HealthClosedError) return undefined;
      throw error;
    }
  }

  /** Why readiness fails regardless of the checks, if it does. */
  #stopped(): string | undefined {
    if (this.#closing !== undefined) return 'closed';
    return this.#shuttingDown ? 'shutting down' : undefined;
  }

  #probe(probe: ProbeKind, failure?: string, report?: HealthReport): ProbeReport {
    return probeReport(this.#config, this.#processStart, probe, failure, report);
  }

  #schedule(interval: number): void {
    this.#timer = this.#config.timers.setTimeout(() => {
      this.check().then(
        () => this.#reschedule(interval),
        (error: unknown) => {
          if (!(error instanceof HealthClosedError)) this.#report(error, 'interval run');
          this.#reschedule(interval);
        },
      );
    }, interval);
  }

  #reschedule(interval: number): void {
    if (this.#closing === undefined) this.#schedule(interval);
  }
}
