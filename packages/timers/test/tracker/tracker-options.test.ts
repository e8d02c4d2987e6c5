import { ConfigurationError, Registry } from '@vigil/core';
import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { PerformanceTracker, type PerformanceTrackerOptions } from '../../src/index.js';

describe('PerformanceTracker options', () => {
  it.each<[string, unknown, string]>([
    ['an unknown option', { baselineSample: 5 }, "unknown option 'baselineSample'"],
    [
      'baselineSamples 0',
      { baselineSamples: 0 },
      'PerformanceTracker: baselineSamples should be a positive integer, got 0',
    ],
    [
      'a fractional minSamples',
      { minSamples: 2.5 },
      'minSamples should be a positive integer, got 2.5',
    ],
    [
      'a window smaller than the baseline',
      { baselineSamples: 50, windowSize: 20 },
      'windowSize should be an integer of at least 50, got 20',
    ],
    ['one trend window', { trendWindows: 1 }, 'trendWindows should be an integer of at least 2'],
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
      'a misspelt threshold',
      { bottleneck: { warn: '1s' } },
      "bottleneck: unknown option 'warn'; the options are warning, critical",
    ],
    [
      'operation thresholds that are not an object',
      { operationThresholds: 'report' },
      'operationThresholds should be an object keyed by operation',
    ],
    [
      'bad operation thresholds',
      { operationThresholds: { a: { warning: '9s' } } },
      'operationThresholds["a"].warning should be at most critical',
    ],
    ['a clock without now()', { clock: {} }, 'clock should be an object with a now() method'],
    ['an onError that is not a function', { onError: 'log' }, 'onError should be a function'],
    ['a registry that is not one', { registry: {} }, 'registry should be a Registry'],
    ['options that are not an object', null, 'options should be an object'],
    ['options that are an array', [], 'options should be an object'],
  ])("rejects %s with core's INVALID_OPTION", (_case, options, message) => {
    const error = caught(() => new PerformanceTracker(options as PerformanceTrackerOptions));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toContain(message);
  });

  it('reads an option passed as undefined as its default', () => {
    const tracker = new PerformanceTracker({
      baselineSamples: undefined,
      windowSize: undefined,
      minSamples: undefined,
      regressionThreshold: undefined,
      trendWindows: undefined,
      trendThreshold: undefined,
      evaluateEvery: undefined,
      bottleneck: { warning: undefined, critical: undefined },
      operationThresholds: undefined,
      maxOperations: undefined,
      eventInterval: undefined,
      clock: undefined,
      registry: undefined,
      onError: undefined,
    });
    for (let i = 0; i < 10; i++) tracker.record('job', 6);
    expect(tracker.baseline('job')).toMatchObject({ samples: 10 });
    expect(tracker.bottlenecks()).toEqual([
      { operation: 'job', severity: 'critical', p95: 6, threshold: 5 },
    ]);
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
      onError: () => undefined,
    });
    expect(tracker.operations).toEqual([]);
  });
});
