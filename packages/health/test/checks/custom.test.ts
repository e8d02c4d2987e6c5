import { describe, expect, it } from 'vitest';
import { checks, HealthMonitor } from '../../src/index.js';

describe('checks.custom', () => {
  it('runs the function as a critical, non-quick check', async () => {
    let length = 3;
    const monitor = new HealthMonitor({
      cacheFor: 0,
      checks: [
        checks.custom('queue', () => ({
          status: length < 10 ? 'pass' : 'fail',
          observedValue: length,
          observedUnit: 'jobs',
        })),
      ],
    });
    expect((await monitor.check()).checks.queue).toMatchObject({
      status: 'pass',
      observedValue: 3,
      key: 'queue',
      critical: true,
      quick: false,
    });
    length = 50;
    expect((await monitor.check()).status).toBe('critical');
  });

  it('takes the common options and passes the signal', async () => {
    let signal: AbortSignal | undefined;
    const check = checks.custom(
      'search',
      (s) => {
        signal = s;
        return false;
      },
      { critical: false, quick: true, weight: 2, measurement: 'ping' },
    );
    const report = await new HealthMonitor({ checks: [check] }).check({ quick: true });
    expect(report.checks.search).toMatchObject({
      status: 'fail',
      key: 'search:ping',
      critical: false,
      weight: 2,
    });
    expect(report.status).toBe('degraded');
    expect(signal).toBeInstanceOf(AbortSignal);
  });

  it('rejects a missing name or function, and a name given as an option', () => {
    expect(() => checks.custom('', () => true)).toThrow('name should be a non-empty string');
    expect(() => checks.custom('x', undefined as never)).toThrow(
      'checks.custom: fn is required: a function (signal) => outcome',
    );
    expect(() => checks.custom('x', () => true, { name: 'y' } as never)).toThrow(
      'give the name as the first argument',
    );
  });
});
