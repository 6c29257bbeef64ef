import { availableParallelism } from 'node:os';
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
    // Most test time is spent waiting on servers and child processes, not computing: two workers
    // even on a 2-core machine (vitest's default there is one) halve the suite's time (424 s to
    // 223 s on the CI machine kind).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
