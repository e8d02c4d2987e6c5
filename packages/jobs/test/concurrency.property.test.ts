import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../src/index.js';

describe('concurrency limits under random job mixes', () => {
  it('never runs more than the runner-wide cap, nor more of a type than its limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(
          fc.record({
            type: fc.nat(3),
            turns: fc.integer({ min: 0, max: 3 }),
            fails: fc.boolean(),
            priority: fc.constantFrom('high', 'medium', 'low'),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (cap, limits, mix) => {
          let total = 0;
          let peakTotal = 0;
          const running = limits.map(() => 0);
          const peaks = limits.map(() => 0);
          const types = Object.fromEntries(
            limits.map((limit, index) => [
              `t${index}`,
              {
                concurrency: limit,
                retry: false as const,
                breaker: false as const,
                handler: async (job: { turns: number; fails: boolean }) => {
                  total++;
                  running[index] = (running[index] as number) + 1;
                  peakTotal = Math.max(peakTotal, total);
                  peaks[index] = Math.max(peaks[index] as number, running[index] as number);
                  for (let i = 0; i < job.turns; i++) await new Promise((r) => setImmediate(r));
                  total--;
                  running[index] = (running[index] as number) - 1;
                  if (job.fails) throw new Error('planned');
                },
              },
            ]),
          );
          const jobs = new JobRunner({ concurrency: cap, types, tracker: false });
          const handles = [];
          for (const job of mix) {
            const type = `t${job.type % limits.length}`;
            handles.push(await jobs.run(type, job, { priority: job.priority as 'high' }));
          }
          await Promise.allSettled(handles.map((handle) => handle.result));
          await jobs.close();
          expect(peakTotal).toBeLessThanOrEqual(cap);
          for (const [index, peak] of peaks.entries()) {
            expect(peak).toBeLessThanOrEqual(limits[index] as number);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
