import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run conform`: the conformance suites, apart from the project's own tests. They import
// authconform/vitest as a user does; in the repository it resolves to its source.
export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^authconform\/vitest$/,
        replacement: fileURLToPath(new URL('./src/vitest/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['suites/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
