import type { MethodSeries } from './request-series.js';

/**
 * One request being measured, returned by `HttpMetrics.start()` and given back to `end()`. It
 * carries the method the request was counted under as active (so a method rewritten in flight,
 * e.g. by method-override middleware, still decrements the right series) and records once: a
 * second `end()` (an adapter listening to both `finish` and `close`) does nothing.
 */
export class RequestTiming {
  /** @internal The method's series. */
  readonly series: MethodSeries;
  /** `performance.now()` when the request started. */
  readonly startTime: number;
  /** @internal */
  done = false;

  /** @internal Use `HttpMetrics.start()`. */
  constructor(series: MethodSeries, startTime: number) {
    this.series = series;
    this.startTime = startTime;
  }

  /** The `http_request_method` label the request is recorded under (`GET`, `_OTHER`). */
  get method(): string {
    return this.series.label;
  }

  /** Whether `end()` has recorded the request. */
  get ended(): boolean {
    return this.done;
  }
}
