import { VigilError } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { HEALTH_ERROR_CODES, HealthCheckTimeoutError, HealthClosedError } from '../src/index.js';

describe('errors', () => {
  it('lists every code, and brands each class on its own', () => {
    expect(HEALTH_ERROR_CODES).toEqual(['HEALTH_CLOSED', 'HEALTH_CHECK_TIMEOUT']);
    expect(HealthClosedError.brand).toBe('vigil.health.HealthClosedError');
    expect(HealthCheckTimeoutError.brand).toBe('vigil.health.HealthCheckTimeoutError');
    expect(new HealthClosedError()).not.toBeInstanceOf(HealthCheckTimeoutError);
  });

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
