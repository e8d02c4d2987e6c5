import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts the shared throw-away Redis on 127.0.0.1:56379 (scripts/redis.sh) and leaves it up.
    globalSetup: ['test/global-setup.ts'],
  },
});
