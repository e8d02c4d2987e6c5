import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Real PostgreSQL: a fault test restarts its own server, which takes a few seconds.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
