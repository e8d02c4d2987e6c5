import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // `next build` takes a minute or two on a small shared machine.
    hookTimeout: 300_000,
    testTimeout: 30_000,
  },
});
