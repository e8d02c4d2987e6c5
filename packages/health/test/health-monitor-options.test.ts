import { ConfigurationError, Registry } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { type HealthCheck, HealthMonitor, type HealthMonitorOptions } from '../src/index.js';

const ok: HealthCheck = { name: 'db', run: () => true };

function thrown(options: unknown): ConfigurationError {
  try {
    new HealthMonitor(options as HealthMonitorOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected the constructor to throw');
}

describe('HealthMonitor options', () => {
  it.each([
    [{ timeot: '1s' }, "HealthMonitor: unknown option 'timeot'"],
    [{ checks: ok }, 'HealthMonitor: checks should be an array of checks'],
    [{ startup: 'later' }, 'startup should be one of "auto", "manual", got "later"'],
    [{ readiness: true }, 'readiness should be one of "quick", "full", "none", got true'],
    [{ timers: { setTimeout() {} } }, 'timers should be an object with setTimeout(callback, ms)'],
    [{ onError: 'log' }, 'onError should be a function (error, { source, operation }) => void'],
    [{ version: 3 }, 'version should be a non-empty string, got 3'],
    [{ registry: {} }, 'registry should be a Registry from @vigil/core'],
    [{ clock: Date.now }, 'clock should be an object with a now() method'],
  ])('rejects %j with INVALID_OPTION', (options, message) => {
    const error = thrown(options);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain(message);
  });

  it.each([
    [{ timeout: 'soon' }, 'HealthMonitor: timeout'],
    [{ timeout: 0 }, 'timeout should be longer than zero'],
    [{ cacheFor: -1 }, 'HealthMonitor: cacheFor'],
    [{ interval: '0ms' }, 'interval should be longer than zero'],
    [{ checks: [{ ...ok, timeout: 2 ** 31 }] }, 'should be at most 2147483647 ms'],
  ])('rejects %j with INVALID_DURATION', (options, message) => {
    const error = thrown(options);
    expect(error.code).toBe('INVALID_DURATION');
    expect(error.message).toContain(message);
  });

  it('takes every option as an explicit undefined, meaning its default', async () => {
    const options: Required<HealthMonitorOptions> = {
      checks: undefined,
      timeout: undefined,
      cacheFor: undefined,
      interval: undefined,
      startup: undefined,
      readiness: undefined,
      version: undefined,
      releaseId: undefined,
      serviceId: undefined,
      description: undefined,
      registry: undefined,
      clock: undefined,
      timers: undefined,
      onError: undefined,
    };
    const monitor = new HealthMonitor(options);
    expect(await monitor.check({ quick: undefined })).toMatchObject({ status: 'healthy' });
    expect(() => new HealthMonitor(undefined)).not.toThrow();
    await monitor.close();
  });

  it('accepts cacheFor 0 and durations as strings', () => {
    expect(() => new HealthMonitor({ cacheFor: 0, timeout: '250ms', checks: [ok] })).not.toThrow();
  });
});

describe('HealthMonitor check definitions', () => {
  it.each([
    [[null], 'checks[0]: should be a check such as { name, run(signal) }'],
    [[{ run: () => true }], 'checks[0]: name is required'],
    [[{ name: '', run: () => true }], 'checks[0]: name should be a non-empty string, got ""'],
    [[{ name: 'db' }], "checks[0] ('db'): run is required: a function (signal) => outcome"],
    [[{ ...ok, start: 1 }], "('db'): start should be a function, got 1"],
    [[{ ...ok, critcal: false }], "checks[0]: unknown option 'critcal'"],
    [[{ ...ok, critical: 'yes' }], '(\'db\'): critical should be true or false, got "yes"'],
    [[{ ...ok, weight: -1 }], "('db'): weight should be a finite number of at least 0, got -1"],
    [[{ ...ok, quick: 1 }], "('db'): quick should be true or false, got 1"],
    [[{ ...ok, close: 'now' }], "('db'): close should be a function"],
    [[ok, { ...ok }], "checks[1].name 'db' is used by another check"],
  ])('rejects %j', (checks, message) => {
    const error = thrown({ checks });
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain(message);
  });

  it('takes checks that are instances of your own classes, whatever other fields they have', async () => {
    class QueueCheck implements HealthCheck {
      readonly name = 'queue';
      readonly limit = 10;
      length = 3;
      run() {
        return this.length < this.limit;
      }
    }
    const monitor = new HealthMonitor({ checks: [new QueueCheck()] });
    expect((await monitor.check()).checks.queue?.status).toBe('pass');
  });

  it('accepts a registry from @vigil/core', () => {
    expect(() => new HealthMonitor({ registry: new Registry(), checks: [ok] })).not.toThrow();
  });
});
