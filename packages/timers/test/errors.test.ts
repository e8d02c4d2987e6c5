import { VigilError } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { TIMERS_ERROR_CODES, TimersError } from '../src/index.js';

describe('TimersError', () => {
  it('is a VigilError with a stable code, a name and a cause', () => {
    const cause = new SyntaxError('bad json');
    const error = new TimersError('TIMERS_INVALID_BASELINES', 'baselines do not parse', { cause });
    expect(error).toBeInstanceOf(VigilError);
    expect(error).toBeInstanceOf(TimersError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('TIMERS_INVALID_BASELINES');
    expect(error.name).toBe('TimersError');
    expect(error.message).toBe('baselines do not parse');
    expect(error.cause).toBe(cause);
  });

  it('lists every code the package declares, and brands its class on its own', () => {
    expect(TIMERS_ERROR_CODES).toEqual([
      'TIMERS_INVALID_METRIC',
      'TIMERS_INVALID_DECORATOR',
      'TIMERS_INVALID_BASELINES',
    ]);
    expect(TimersError.brand).toBe('vigil.timers.TimersError');
    expect(new VigilError('TIMERS_INVALID_METRIC', 'not branded')).not.toBeInstanceOf(TimersError);
  });
});
