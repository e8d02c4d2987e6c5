import { ConfigurationError, Registry } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import {
  PerformanceTracker,
  type PerformanceTrackerOptions,
  TimersError,
} from '../../src/index.js';

describe('PerformanceTracker options', () => {
  it.each<[string, unknown, string]>([
    ['an unknown option', { baselineSample: 5 }, "unknown option 'baselineSample'"],
    [
      'baselineSamples 0',
      { baselineSamples: 0 },
      'baselineSamples should be an integer ≥ 1, got 0',
    ],
    [
      'a fractional minSamples',
      { minSamples: 2.5 },
      'minSamples should be an integer ≥ 1, got 2.5',
    ],
    [
      'a window smaller than the baseline',
      { baselineSamples: 50, windowSize: 20 },
      'windowSize should be an integer ≥ 50, got 20',
    ],
    ['one trend window', { trendWindows: 1 }, 'trendWindows should be an integer ≥ 2'],
    [
      'a zero regression threshold',
      { regressionThreshold: 0 },
      'regressionThreshold should be a positive number',
    ],
    [
      'a NaN trend threshold',
      { trendThreshold: Number.NaN },
      'trendThreshold should be a positive number',
    ],
    ['evaluateEvery 0', { evaluateEvery: 0 }, 'evaluateEvery'],
    ['maxOperations 0', { maxOperations: 0 }, 'maxOperations'],
    [
      'warning above critical',
      { bottleneck: { warning: '10s', critical: '1s' } },
      'bottleneck.warning should be at most critical',
    ],
    ['a bottleneck that is not an object', { bottleneck: 5 }, 'bottleneck should be an object'],
    [
      'bad operation thresholds',
      { operationThresholds: { a: { warning: '9s' } } },
      'operationThresholds["a"].warning should be at most critical',
    ],
    ['a clock without now()', { clock: {} }, 'clock should be an object with now()'],
    ['a registry that is not one', { registry: {} }, 'registry should be a Registry'],
    ['options that are not an object', null, 'options should be an object'],
  ])('rejects %s with TIMERS_INVALID_OPTION', (_case, options, message) => {
    const error = caught(() => new PerformanceTracker(options as PerformanceTrackerOptions));
    expect(error).toBeInstanceOf(TimersError);
    expect(error).toMatchObject({ code: 'TIMERS_INVALID_OPTION' });
    expect((error as Error).message).toContain(message);
  });

  it('rejects unparsable durations with core’s INVALID_DURATION', () => {
    for (const options of [{ eventInterval: '5 minutes' }, { bottleneck: { critical: -1 } }]) {
      const error = caught(() => new PerformanceTracker(options));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ code: 'INVALID_DURATION' });
    }
  });

  it('accepts every option with good values', () => {
    const tracker = new PerformanceTracker({
      baselineSamples: 20,
      windowSize: 200,
      minSamples: 15,
      regressionThreshold: 0.2,
      trendWindows: 4,
      trendThreshold: 0.1,
      evaluateEvery: 5,
      bottleneck: { warning: 250, critical: '1s' },
      operationThresholds: { report: { warning: '5s', critical: '20s' } },
      maxOperations: 50,
      eventInterval: '30s',
      clock: { now: () => 0 },
      registry: new Registry(),
    });
    expect(tracker.operations).toEqual([]);
  });
});
