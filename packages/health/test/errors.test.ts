import { VigilError } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { HealthCheckTimeoutError, HealthClosedError } from '../src/index.js';

describe('errors', () => {
  it('HealthClosedError is a VigilError with code HEALTH_CLOSED', () => {
    const error = new HealthClosedError();
    expect(error).toBeInstanceOf(VigilError);
    expect(error).toMatchObject({ code: 'HEALTH_CLOSED', name: 'HealthClosedError' });
    expect(error.message).toContain('create a new HealthMonitor');
  });

  it('HealthCheckTimeoutError names the check and the timeout', () => {
    const error = new HealthCheckTimeoutError('postgres', 1000);
    expect(error).toBeInstanceOf(VigilError);
    expect(error).toMatchObject({
      code: 'HEALTH_CHECK_TIMEOUT',
      name: 'HealthCheckTimeoutError',
      check: 'postgres',
      timeout: 1000,
      message: 'timeout after 1000ms',
    });
  });
});
