import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { globSync } from 'tinyglobby';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The `slow` project: tests that pack the package, run the README's and docs' commands, spawn the
 * CLI or an example server, serve whole profiles over real HTTP, wait out real time, launch a
 * browser, or run whole scenario families against a corpus of servers (`*-servers`) or whole
 * profiles. Everything else is `unit`: a new test file is a unit test unless it matches here.
 * `npm run test:unit` (`--project unit`) is the quick loop; `npm test` runs all.
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

const ROOT = source('./');
const slowFiles = new Set(globSync(SLOW, { cwd: ROOT, absolute: true }));

/**
 * The slow files that take longest from start to end, longest first (measured on the 2-core CI
 * kind): most of their time is real waiting (rate windows, a rotation grace, replicas starting,
 * npm), so starting them together with the files that compute keeps both cores busy.
 */
const LONGEST = [
  'test/engine/rate-window-guest.test.ts',
  'test/examples/hono-gateway.test.ts',
  'test/package/pack.test.ts',
  'test/teeth/teeth-over-http.test.ts',
  'test/mock-server/redis-replicas.slow.test.ts',
  'test/examples/node-luxcore.test.ts',
  'test/examples/fastify-tidewater.test.ts',
  'test/vitest/conformance-suite-filter.slow.test.ts',
  'test/readme/ci-examples.test.ts',
].map(source);

/**
 * A whole run takes the slow files first, the longest of them before the rest (vitest's own order
 * by past durations needs a previous run, which a fresh clone has not had), and the unit files
 * fill the workers after them.
 */
class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST.indexOf(f.moduleId);
      return i >= 0 ? i : slowFiles.has(f.moduleId) ? LONGEST.length : LONGEST.length + 1;
    };
    // A stable sort: within a rank, vitest's order stays.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * Vitest gives each project workers of its own (a worker is reused only for files of its own
 * project), and every worker loads the engine, the specs and the mock and compiles the built-in
 * schemas before its first file: the two projects' eight workers cost 16 more CPU-seconds than
 * one project's four (235 against 219 for the whole suite on the 2-core CI kind). So the two
 * projects exist where one is picked (`--project unit`, `--project slow`), and a run of
 * everything is one project over the same files, slow files first.
 */
const oneProjectPicked = process.argv.some((a) => a === '--project' || a.startsWith('--project='));

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
    // The run's temporary files in one folder, removed at its end (test/support/run-temp-root.ts).
    globalSetup: ['test/support/run-temp-root.ts'],
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
    isolate: false,
    ...(oneProjectPicked
      ? {
          projects: [
            {
              extends: true,
              test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SLOW },
            },
            { extends: true, test: { name: 'slow', include: SLOW } },
          ],
        }
      : { include: ['test/**/*.test.ts'], sequence: { sequencer: SlowFilesFirst } }),
  },
});
