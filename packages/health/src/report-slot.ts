import type { Clock } from '@vigil/core';
import type { HealthReport } from './health-report.js';

/**
 * @internal One cached report (full or quick) and the run that is making the next one: callers
 * that arrive while it runs share it (single-flight), and for `cacheFor` milliseconds after it
 * finished they get its result.
 */
export class ReportSlot {
  #report: HealthReport | undefined;
  #at = 0;
  #inflight: Promise<HealthReport> | undefined;

  /** The run in progress, if any. */
  get inflight(): Promise<HealthReport> | undefined {
    return this.#inflight;
  }

  /** The last report when it finished less than `cacheFor` ms ago by `now`. */
  fresh(now: number, cacheFor: number): HealthReport | undefined {
    if (this.#report === undefined) return undefined;
    // A clock that went backwards does not keep a report fresh for ever.
    return now >= this.#at && now - this.#at < cacheFor ? this.#report : undefined;
  }

  /** Joins the run in progress, or starts `run` and caches what it answers. */
  run(run: () => Promise<HealthReport>, clock: Clock): Promise<HealthReport> {
    if (this.#inflight !== undefined) return this.#inflight;
    const inflight = run().then(
      (report) => {
        this.#report = report;
        this.#at = clock.now();
        this.#inflight = undefined;
        return report;
      },
      (error: unknown) => {
        this.#inflight = undefined;
        throw error;
      },
    );
    this.#inflight = inflight;
    return inflight;
  }
}
