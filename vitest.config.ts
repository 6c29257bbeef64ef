import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // In the repository the package's msw entry is its source (the package itself ships dist/).
  resolve: {
    alias: {
      'authconform/msw': fileURLToPath(new URL('./mock-server/msw/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
