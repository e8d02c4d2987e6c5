import { Registry } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PerformanceTracker } from '../../src/index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function throwingTracker(onError?: (error: unknown, context: unknown) => void) {
  const tracker = new PerformanceTracker({ clock: manualClock(), baselineSamples: 1, onError });
  const bug = new Error('listener bug');
  tracker.on('baseline', () => {
    throw bug;
  });
  return { tracker, bug };
}

describe('PerformanceTracker listener failures', () => {
  it('go to onError with the event named, never into record()', () => {
    const onError = vi.fn();
    const { tracker, bug } = throwingTracker(onError);
    expect(tracker.record('op', 1)).toBe(true);
    expect(tracker.baseline('op')).toMatchObject({ samples: 1 });
    expect(onError).toHaveBeenCalledExactlyOnceWith(bug, {
      source: 'PerformanceTracker',
      operation: "'baseline' listener",
    });
  });

  it('without onError, are one VIGIL_BACKGROUND_ERROR warning per event', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const { tracker } = throwingTracker();
    tracker.record('a', 1);
    tracker.record('b', 1);
    expect(warn).toHaveBeenCalledExactlyOnceWith(
      expect.stringContaining(
        "PerformanceTracker: 'baseline' listener failed in the background: listener bug",
      ),
      { type: 'VigilWarning', code: 'VIGIL_BACKGROUND_ERROR' },
    );
  });
});

describe('PerformanceTracker close()', () => {
  it('stops tracking and emitting, and keeps what it learned readable', async () => {
    const tracker = new PerformanceTracker({ clock: manualClock(), baselineSamples: 2 });
    const baselines = vi.fn();
    tracker.on('baseline', baselines);
    tracker.record('job', 1);
    await tracker.close();
    expect(tracker.closed).toBe(true);
    expect(tracker.listenerCount('baseline')).toBe(0);
    expect(tracker.record('job', 1)).toBe(false);
    expect(tracker.measure('job', () => 42)).toBe(42);
    await expect(tracker.measure('job', () => Promise.resolve('done'))).resolves.toBe('done');
    expect(baselines).not.toHaveBeenCalled();
    expect(tracker.stats('job')).toMatchObject({ count: 1 });
    expect(tracker.exportBaselines()).toEqual({ version: 1, baselines: {} });
  });

  it('removes its per-operation gauges from the registry, so no stale value is scraped', async () => {
    const registry = new Registry();
    const tracker = new PerformanceTracker({ clock: manualClock(), registry, baselineSamples: 1 });
    tracker.record('job', 0.5);
    expect(await registry.metrics()).toContain(
      'vigil_performance_baseline_seconds{operation="job",quantile="0.5"} 0.5',
    );
    await tracker.close();
    tracker.importBaselines({
      version: 1,
      baselines: { other: { p50: 1, p95: 2, mean: 1, samples: 10, createdAt: 0 } },
    });
    const text = await registry.metrics();
    expect(text).not.toContain('operation="job"');
    expect(text).not.toContain('operation="other"');
  });

  it('is idempotent and is the async disposer', async () => {
    const tracker = new PerformanceTracker();
    {
      await using held = tracker;
      expect(held.closed).toBe(false);
    }
    expect(tracker.closed).toBe(true);
    await expect(tracker.close()).resolves.toBeUndefined();
  });
});
