import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests spawn Python interpreters that time imports: keep them off each other's cores.
    fileParallelism: false,
  },
});
