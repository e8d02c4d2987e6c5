import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CI runs several packages' suites at once on 2 cores: time is for hangs, not for speed.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Starts the shared throw-away Redis on 127.0.0.1:56379 (scripts/redis.sh) and leaves it up.
    globalSetup: ['test/global-setup.ts'],
  },
});
