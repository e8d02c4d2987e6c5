import { MANUAL_CLOCK_EPOCH, manualClock } from '@vigil/core/testing';
import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { PerformanceTracker, TimersError } from '../../src/index.js';

function trained() {
  const tracker = new PerformanceTracker({ clock: manualClock(), baselineSamples: 2 });
  tracker.record('GET /users', 0.1);
  tracker.record('GET /users', 0.3);
  tracker.record('db.select', 0.01);
  return tracker;
}

describe('exportBaselines() / importBaselines()', () => {
  it('round-trips baselines through JSON', () => {
    const exported = trained().exportBaselines();
    expect(exported).toEqual({
      version: 1,
      baselines: {
        'GET /users': { p50: 0.2, p95: 0.29, mean: 0.2, samples: 2, createdAt: MANUAL_CLOCK_EPOCH },
      },
    });
    const fresh = new PerformanceTracker();
    expect(fresh.importBaselines(JSON.stringify(exported))).toBe(1);
    expect(fresh.baseline('GET /users')).toEqual(exported.baselines['GET /users']);
    expect(fresh.exportBaselines()).toEqual(exported);
  });

  it('checks regressions against an imported baseline from the next executions on', () => {
    const tracker = new PerformanceTracker({ minSamples: 5, evaluateEvery: 5 });
    const regressions: unknown[] = [];
    tracker.on('regression', (event) => regressions.push(event));
    tracker.importBaselines({
      version: 1,
      baselines: { job: { p50: 1, p95: 1, mean: 1, samples: 10, createdAt: 0 } },
    });
    for (let i = 0; i < 5; i++) tracker.record('job', 2);
    expect(regressions).toHaveLength(1);
  });

  it('skips new operations past maxOperations', () => {
    const tracker = new PerformanceTracker({ maxOperations: 1 });
    const baseline = { p50: 1, p95: 1, mean: 1, samples: 1, createdAt: 0 };
    expect(tracker.importBaselines({ version: 1, baselines: { a: baseline, b: baseline } })).toBe(
      1,
    );
    expect(tracker.operations).toEqual(['a']);
    expect(tracker.ignoredExecutions).toBe(0);
  });

  it.each([
    ['not JSON', '{version', 'does not parse'],
    ['not an object', '[]', 'should be an object'],
    ['a wrong version', { version: 2, baselines: {} }, 'version should be 1'],
    ['no baselines', { version: 1 }, 'baselines.baselines should be an object'],
    ['an empty operation name', { version: 1, baselines: { '': {} } }, 'non-empty'],
    [
      'a baseline that is not an object',
      { version: 1, baselines: { a: 3 } },
      '["a"] should be an object',
    ],
    [
      'a negative p50',
      { version: 1, baselines: { a: { p50: -1, p95: 1, mean: 1, samples: 1, createdAt: 0 } } },
      'p50 should be a non-negative number',
    ],
    [
      'a string p95',
      { version: 1, baselines: { a: { p50: 1, p95: '2', mean: 1, samples: 1, createdAt: 0 } } },
      'p95 should be',
    ],
    [
      'p95 below p50',
      { version: 1, baselines: { a: { p50: 2, p95: 1, mean: 1, samples: 1, createdAt: 0 } } },
      'p95 should be ≥ p50',
    ],
    [
      'a fractional sample count',
      { version: 1, baselines: { a: { p50: 1, p95: 1, mean: 1, samples: 1.5, createdAt: 0 } } },
      'samples should be a positive integer',
    ],
    [
      'a missing createdAt',
      { version: 1, baselines: { a: { p50: 1, p95: 1, mean: 1, samples: 1 } } },
      'createdAt should be a finite number',
    ],
  ])('rejects %s with TIMERS_INVALID_BASELINES, importing nothing', (_case, input, mention) => {
    const tracker = new PerformanceTracker();
    const good = { p50: 1, p95: 1, mean: 1, samples: 1, createdAt: 0 };
    const withGood =
      typeof input === 'object' &&
      input !== null &&
      'baselines' in input &&
      typeof input.baselines === 'object'
        ? { ...input, baselines: { good, ...input.baselines } }
        : input;
    const error = caught(() => tracker.importBaselines(withGood as never));
    expect(error).toBeInstanceOf(TimersError);
    expect(error).toMatchObject({ code: 'TIMERS_INVALID_BASELINES' });
    expect((error as Error).message).toContain(mention);
    expect(tracker.baseline('good')).toBeUndefined();
  });
});
