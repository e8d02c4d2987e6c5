import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { checks, HealthMonitor } from '../../src/index.js';

async function runOne(check: ReturnType<typeof checks.heap>) {
  const report = await new HealthMonitor({ checks: [check] }).check();
  return Object.values(report.checks)[0];
}

describe('checks.heap', () => {
  it('passes under the default thresholds and observes the heap in use, in bytes', async () => {
    const result = await runOne(checks.heap());
    expect(result).toMatchObject({
      status: 'pass',
      observedUnit: 'bytes',
      key: 'heap:used',
      critical: false,
      quick: true,
    });
    expect(result?.observedValue).toBeGreaterThan(0);
    expect(result?.details?.limitBytes).toBe(getHeapStatistics().heap_size_limit);
  });

  it('compares shares of the heap limit', async () => {
    const result = await runOne(checks.heap({ warn: 1e-9, fail: 1 }));
    expect(result?.status).toBe('warn');
    expect(result?.output).toMatch(/^heap [\d.]+ MiB of [\d.]+ MiB \([\d.]+%\), at or above 0%$/);
  });

  it('compares bytes when a threshold is greater than 1', async () => {
    const result = await runOne(checks.heap({ warn: 2, fail: 3 }));
    expect(result?.status).toBe('fail');
    expect(result?.output).toContain('at or above 0.0 MiB');
  });

  it('rejects thresholds that are not positive, and fail below warn', () => {
    expect(() => checks.heap({ warn: 0 })).toThrow('warn should be a share of the limit in (0, 1]');
    expect(() => checks.heap({ warn: 0.9, fail: 0.5 })).toThrow(
      'fail (0.5) should be at least warn (0.9)',
    );
    expect(() => checks.heap({ limit: 1 } as never)).toThrow("unknown option 'limit'");
  });
});

describe('checks.rss', () => {
  it('compares the resident set size against the given limit', async () => {
    const rss = process.memoryUsage.rss();
    const result = await runOne(checks.rss({ limit: rss * 2 }));
    expect(result).toMatchObject({ status: 'pass', key: 'rss:used', observedUnit: 'bytes' });
    const over = await runOne(checks.rss({ limit: rss / 2, warn: 0.5, fail: 0.99 }));
    expect(over?.status).toBe('fail');
    expect(over?.details?.limitBytes).toBe(rss / 2);
  });

  it('defaults the limit to the memory of the container or the machine', async () => {
    const result = await runOne(checks.rss());
    expect(result?.details?.limitBytes).toBeGreaterThan(0);
    expect(result?.status).toBe('pass');
  });

  it('rejects a limit that is not a number of bytes', () => {
    expect(() => checks.rss({ limit: 0 })).toThrow('limit should be a finite number of at least 1');
  });
});
