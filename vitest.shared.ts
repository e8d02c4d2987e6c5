import { defineConfig, type TestUserConfig } from 'vitest/config';

/**
 * The test set-up every package and example shares: its tests in `test/`, and the same time-outs
 * everywhere. CI runs several packages' suites at once on 2 cores, so the time-outs are there to
 * catch hangs, not to measure speed. A `vitest.config.ts` calls it with what it adds (a
 * `globalSetup` that starts a server, a longer `hookTimeout` for a `next build`).
 */
export function packageTest(extra: TestUserConfig = {}): ReturnType<typeof defineConfig> {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...extra,
    },
  });
}
