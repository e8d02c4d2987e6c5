import { Registry } from '@vigil/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { bindTimer, measure, type Timer, timed, timer } from '../src/index.js';

// The label typing shared by every timer (src/timer-target.ts), checked by `tsc` (typecheck)
// through the @ts-expect-error lines; the runtime assertions show the calls are real.
function setup() {
  const registry = new Registry();
  return {
    jobs: registry.histogram({ name: 'job_seconds', help: 'J.', labelNames: ['job', 'result'] }),
    outcomes: registry.histogram({ name: 'outcome_seconds', help: 'O.', labelNames: ['result'] }),
    plain: registry.summary({ name: 'plain_seconds', help: 'P.' }),
  };
}

describe('timer label types', () => {
  it('require every label but result where a label set is fixed up front', () => {
    const { jobs, outcomes, plain } = setup();
    expect(measure(jobs, { job: 'a' }, () => 1)).toBe(1);
    expect(measure(jobs, { job: 'a', result: 'cached' }, () => 2)).toBe(2);
    expect(measure(outcomes, undefined, () => 3)).toBe(3);
    expect(measure(plain, () => 4)).toBe(4);
    // Compiled, never run: each line is a type error.
    const mistakes = () => [
      // @ts-expect-error job is missing
      measure(jobs, {}, () => 5),
      // @ts-expect-error jbo is not a label of jobs
      bindTimer(jobs, { jbo: 'a' }),
      // @ts-expect-error labels are required for a labelled metric
      timed(jobs),
    ];
    expect(mistakes).toBeTypeOf('function');
    expect(typeof timed(outcomes)).toBe('function');
    expect(bindTimer(outcomes).name).toBe('outcome_seconds');
  });

  it('let timer() take a partial label set that end() completes', () => {
    const { jobs, plain } = setup();
    const t = timer(jobs, {});
    expectTypeOf(t).toEqualTypeOf<Timer<'job' | 'result'>>();
    expect(t.end({ job: 'late' })).toBeGreaterThanOrEqual(0);
    expectTypeOf(timer(plain.labels({}))).toEqualTypeOf<Timer<never>>();
  });
});
