import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts the shared Redis and PostgreSQL on 127.0.0.1 (scripts/) and leaves them up.
    globalSetup: ['test/global-setup.ts'],
  },
});
