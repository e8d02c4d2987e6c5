import { describe, expect, it } from 'vitest';
import * as health from '../src/index.js';

describe('the public face', () => {
  it('exports exactly the public runtime names', () => {
    expect(Object.keys(health).sort()).toEqual([
      'CHECK_STATUS_VALUE',
      'HEALTH_ERROR_CODES',
      'HEALTH_JSON_CONTENT_TYPE',
      'HEALTH_JSON_STATUS',
      'HEALTH_STATUS_VALUE',
      'HealthCheckTimeoutError',
      'HealthClosedError',
      'HealthMonitor',
      'checks',
      'renderHealthJson',
    ]);
  });

  it('offers every built-in check on checks', () => {
    expect(Object.keys(health.checks).sort()).toEqual([
      'circuitBreaker',
      'custom',
      'diskSpace',
      'eventLoop',
      'heap',
      'http',
      'postgres',
      'redis',
      'rss',
    ]);
  });
});
