import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Gauge } from '../gauge.js';
import type { MetricFactory } from './metric-factory.js';

// Statistic of the delay histogram → the help text of its gauge.
const STATISTICS = {
  max: 'The maximum recorded event loop delay.',
  mean: 'The mean of the recorded event loop delays.',
  stddev: 'The standard deviation of the recorded event loop delays.',
  p50: 'The 50th percentile of the recorded event loop delays.',
  p90: 'The 90th percentile of the recorded event loop delays.',
  p99: 'The 99th percentile of the recorded event loop delays.',
} as const;

type Statistic = keyof typeof STATISTICS;

/**
 * `nodejs_eventloop_lag_seconds` (the delay of a `setImmediate` scheduled at exposition) and the
 * distribution of event-loop delay since the previous exposition, from `monitorEventLoopDelay`:
 * `nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds`. Returns the stop function.
 */
export function registerEventLoopLag(registry: MetricFactory, resolutionMs: number): () => void {
  const delays = monitorEventLoopDelay({ resolution: resolutionMs });
  delays.enable();
  registry.gauge({
    name: 'nodejs_eventloop_lag_seconds',
    help: 'Lag of event loop in seconds.',
    collect: (lag) =>
      new Promise<void>((resolve) => {
        const start = performance.now();
        setImmediate(() => {
          lag.set((performance.now() - start) / 1000);
          resolve();
        });
      }),
  });
  const gauges = new Map<Statistic, Gauge>();
  for (const [statistic, help] of Object.entries(STATISTICS)) {
    const name = `nodejs_eventloop_lag_${statistic}_seconds`;
    gauges.set(statistic as Statistic, registry.gauge({ name, help }));
  }
  // One callback reads the whole histogram, then starts a new window for the next exposition.
  registry.gauge({
    name: 'nodejs_eventloop_lag_min_seconds',
    help: 'The minimum recorded event loop delay.',
    collect: (min) => {
      // With no sample yet the histogram reports min as 9.2e18 ns: report zeros instead.
      const seconds = (ns: number) => (delays.count === 0 ? 0 : ns / 1e9);
      min.set(seconds(delays.min));
      gauges.get('max')?.set(seconds(delays.max));
      gauges.get('mean')?.set(seconds(delays.mean));
      gauges.get('stddev')?.set(seconds(delays.stddev));
      gauges.get('p50')?.set(seconds(delays.percentile(50)));
      gauges.get('p90')?.set(seconds(delays.percentile(90)));
      gauges.get('p99')?.set(seconds(delays.percentile(99)));
      delays.reset();
    },
  });
  return () => delays.disable();
}
