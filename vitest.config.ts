import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The `slow` project: tests that pack the package, run the README's and docs' commands, spawn the
 * CLI or an example server, serve whole profiles over real HTTP, wait out real time, launch a
 * browser, or run whole scenario families against a corpus of servers (`*-servers`) or whole
 * profiles (vitest runs one project's files after another's, `slow` first: its long files start
 * at once, and the unit files fill the workers after them). Everything else is `unit`: a new test file is a unit test unless it matches here.
 * `npm test` runs all; `npm run test:unit` (the unit projects) is the quick loop.
 */
const SLOW = [
  'test/package/**/*.test.ts',
  'test/readme/**/*.test.ts',
  'test/examples/**/*.test.ts',
  'test/teeth/**/*.test.ts',
  'test/**/*.slow.test.ts',
  'test/**/*-servers.test.ts',
  'test/engine/jwt-coverage.test.ts',
  'test/spec/generate-fixtures.test.ts',
  'test/cli/mock-background-kill.test.ts',
  'test/cli/mock-command.test.ts',
  'test/engine/rate-window-guest.test.ts',
  'test/engine/run-engine.test.ts',
  'test/engine/time-bound-verdicts.test.ts',
  'test/report/hostile-echo-output.test.ts',
  'test/report/html-report.test.ts',
  'test/report/report-secrets.test.ts',
];

function source(path: string): string {
  return fileURLToPath(new URL(path, import.meta.url));
}

export default defineConfig({
  // In the repository the package's entries are their sources (the package itself ships dist/).
  resolve: {
    alias: [
      { find: /^authconform$/, replacement: source('./src/index.ts') },
      { find: /^authconform\/vitest$/, replacement: source('./src/vitest/index.ts') },
      { find: /^authconform\/msw$/, replacement: source('./mock-server/msw/index.ts') },
    ],
  },
  test: {
    testTimeout: 20_000,
    // Some test time is spent waiting on servers, child processes and real clocks, not
    // computing: two workers more than the machine has cores keep both cores busy while files
    // wait. On the 2-core CI machine kind (1,847 tests): 140 s with three workers, 127 s with
    // four, 129 s with six (and a timing test failed there).
    maxWorkers: Math.max(4, availableParallelism() + 2),
    /**
     * Every file shares one module graph per worker (isolate: false): importing the engine, the specs
     * and the mock again for each file was most of the unit files' time (import 140 s of 630
     * file-seconds), and a graph of its own for each example and README test cost 25 of the suite's
     * CPU-seconds. What a file leaves in the process (the schema registry's user folders, a world of
     * an example) must therefore not change what the next one sees: test/api/profile-copies.test.ts
     * holds the registry to that.
     */
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SLOW, isolate: false },
      },
      { extends: true, test: { name: 'slow', include: SLOW, isolate: false } },
    ],
  },
});
