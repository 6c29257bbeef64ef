import { defineConfig } from 'vitest/config';

// `npm run conform`: the conformance suites, apart from the project's own tests.
export default defineConfig({
  test: {
    include: ['suites/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
