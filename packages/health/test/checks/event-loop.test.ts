import { describe, expect, it } from 'vitest';
import { checks, type EventLoopHistogram, HealthMonitor } from '../../src/index.js';

/** A histogram stub whose delays the test sets, in ms. */
function stub(delayMs: number) {
  const calls: string[] = [];
  const histogram: EventLoopHistogram & { delayMs: number } = {
    delayMs,
    enable: () => calls.push('enable'),
    disable: () => calls.push('disable'),
    reset: () => void calls.push('reset'),
    percentile: (p) => {
      calls.push(`p${p}`);
      return histogram.delayMs * 1e6;
    },
  };
  return { histogram, calls };
}

describe('checks.eventLoop', () => {
  it('passes below warn, warns from warn, fails from fail, in ms', async () => {
    const { histogram } = stub(5);
    const monitor = new HealthMonitor({
      cacheFor: 0,
      checks: [checks.eventLoop({ warn: '50ms', fail: '500ms', histogram })],
    });
    expect((await monitor.check()).checks.eventLoop).toMatchObject({
      status: 'pass',
      observedValue: 5,
      observedUnit: 'ms',
      key: 'eventLoop:delay',
      componentType: 'system',
      critical: false,
      quick: true,
    });
    histogram.delayMs = 50;
    expect((await monitor.check()).checks.eventLoop).toMatchObject({
      status: 'warn',
      output: 'p99 event-loop delay 50 ms, at or above 50 ms',
    });
    histogram.delayMs = 750.25;
    expect((await monitor.check()).checks.eventLoop).toMatchObject({
      status: 'fail',
      observedValue: 750.25,
      output: 'p99 event-loop delay 750.25 ms, at or above 500 ms',
    });
  });

  it('reads the percentile asked for and resets the window after each reading', async () => {
    const { histogram, calls } = stub(1);
    const check = checks.eventLoop({ percentile: 90, histogram });
    await check.run(new AbortController().signal);
    expect(calls).toEqual(['p90', 'reset']);
  });

  it('only degrades the service when it fails, by default', async () => {
    const { histogram } = stub(5_000);
    const monitor = new HealthMonitor({ checks: [checks.eventLoop({ histogram })] });
    expect((await monitor.check()).status).toBe('degraded');
  });

  it('leaves a histogram it was given alone on start and close', async () => {
    const { histogram, calls } = stub(1);
    const monitor = new HealthMonitor({ checks: [checks.eventLoop({ histogram })] });
    await monitor.close();
    expect(calls).toEqual([]);
  });

  it('samples the real event loop from the monitor construction to its close', async () => {
    const check = checks.eventLoop({ warn: '1h', fail: '2h', resolution: 10 });
    const monitor = new HealthMonitor({ checks: [check] });
    const result = (await monitor.check()).checks.eventLoop;
    expect(result?.status).toBe('pass');
    expect(typeof result?.observedValue).toBe('number');
    expect(result?.observedValue).toBeGreaterThanOrEqual(0);
    await monitor.close();
  });

  it.each([
    [{ warn: '1s', fail: '100ms' }, 'fail (100 ms) should be at least warn (1000 ms)'],
    [{ percentile: 0 }, 'percentile should be in (0, 100]'],
    [{ percentile: 101 }, 'percentile should be in (0, 100]'],
    [{ resolution: 0 }, 'resolution should be a finite number of at least 1'],
    [{ histogram: {} }, 'histogram should be an IntervalHistogram'],
    [{ treshold: 1 }, "unknown option 'treshold'"],
  ])('rejects %j', (options, message) => {
    expect(() => checks.eventLoop(options as never)).toThrow(message);
  });
});
