import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CI runs several packages' suites at once on 2 cores: time is for hangs, not for speed.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
