import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponentialDelay } from '../../src/backoff/exponential.js';
import { type BackoffSettings, backoffDelay, type Jitter } from '../../src/backoff/jitter.js';

// Settings as a user could give them (initialDelay ≤ maxDelay, factor ≥ 1) with a random source
// that includes the edges a bad one could return.
const settings = (jitter: Jitter) =>
  fc
    .record({
      initialDelay: fc.integer({ min: 0, max: 60_000 }),
      extra: fc.integer({ min: 0, max: 600_000 }),
      factor: fc.double({ min: 1, max: 8, noNaN: true }),
      draws: fc.array(
        fc.oneof(
          fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          fc.constantFrom(0, 1, -1, 2, Number.NaN),
        ),
        { minLength: 1, maxLength: 30 },
      ),
    })
    .map(({ initialDelay, extra, factor, draws }) => {
      let i = 0;
      const random = () => draws[i++ % draws.length] as number;
      const backoff: BackoffSettings = {
        initialDelay,
        maxDelay: initialDelay + extra,
        factor,
        jitter,
        random,
      };
      return backoff;
    });

/** The delays of retries 1 … n, each decorrelated one growing from the previous. */
function delays(backoff: BackoffSettings, n: number): number[] {
  const out: number[] = [];
  let previous = 0;
  for (let retry = 1; retry <= n; retry++) {
    previous = backoffDelay(backoff, retry, previous);
    out.push(previous);
  }
  return out;
}

describe('backoff delays', () => {
  it('full jitter stays within [0, the exponential delay] and so within maxDelay', () => {
    fc.assert(
      fc.property(settings('full'), fc.integer({ min: 1, max: 60 }), (backoff, n) => {
        delays(backoff, n).forEach((delay, i) => {
          const cap = exponentialDelay(
            i + 1,
            backoff.initialDelay,
            backoff.factor,
            backoff.maxDelay,
          );
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(cap);
          expect(delay).toBeLessThanOrEqual(backoff.maxDelay);
        });
      }),
    );
  });

  it('decorrelated jitter stays within [initialDelay, maxDelay] and within 3 × the previous', () => {
    fc.assert(
      fc.property(settings('decorrelated'), fc.integer({ min: 1, max: 60 }), (backoff, n) => {
        const all = delays(backoff, n);
        all.forEach((delay, i) => {
          expect(delay).toBeGreaterThanOrEqual(backoff.initialDelay);
          expect(delay).toBeLessThanOrEqual(backoff.maxDelay);
          // The first retry grows from initialDelay, as AWS's `sleep = base` start.
          const previous = i === 0 ? backoff.initialDelay : (all[i - 1] as number);
          expect(delay).toBeLessThanOrEqual(previous * 3);
        });
      }),
    );
  });

  it('decorrelated jitter spreads the first retry too, over [initialDelay, 3 × initialDelay]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (initialDelay, draw) => {
          const backoff: BackoffSettings = {
            initialDelay,
            maxDelay: initialDelay * 3,
            factor: 2,
            jitter: 'decorrelated',
            random: () => draw,
          };
          expect(backoffDelay(backoff, 1, 0)).toBeCloseTo(initialDelay * (1 + 2 * draw), 6);
        },
      ),
    );
  });

  it('no jitter is the exponential delay itself', () => {
    fc.assert(
      fc.property(settings('none'), fc.integer({ min: 1, max: 60 }), (backoff, n) => {
        delays(backoff, n).forEach((delay, i) => {
          expect(delay).toBe(
            exponentialDelay(i + 1, backoff.initialDelay, backoff.factor, backoff.maxDelay),
          );
        });
      }),
    );
  });

  it('every delay is a finite number a timer accepts', () => {
    const jitters = fc.constantFrom<Jitter>('full', 'decorrelated', 'none');
    fc.assert(
      fc.property(
        jitters.chain((jitter) => settings(jitter)),
        fc.integer({ min: 1, max: 5000 }),
        (backoff, retry) => {
          const delay = backoffDelay(backoff, retry, backoff.maxDelay);
          expect(Number.isFinite(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
