import { describe, expect, it } from 'vitest';
import * as resilience from '../src/index.js';

describe('the public face', () => {
  it('exports exactly the public values, nothing internal', () => {
    expect(Object.keys(resilience).sort()).toEqual([
      'AbortedError',
      'BREAKER_SNAPSHOT_VERSION',
      'BREAKER_STATE_VALUE',
      'BreakerOpenError',
      'Bulkhead',
      'BulkheadFullError',
      'CircuitBreaker',
      'InvalidStateError',
      'RESILIENCE_ERROR_CODES',
      'Retry',
      'Timeout',
      'TimeoutError',
      'bulkhead',
      'retry',
      'timeout',
      'wrap',
    ]);
  });
});
