/**
 * `npm run teeth` (tsx test/teeth/run-teeth.ts [--runs N] [--seed N] [--seeds N]): the harness
 * against every broken implementation of the corpus and against the correct mock of every profile,
 * all over HTTP. Prints caught/total and the false alarms; exits 1 if any implementation is missed
 * or any false alarm is raised, 2 on bad arguments. With --seeds N, then every correct
 * implementation (the mocks and the independent examples) N times, seeds seed..seed+N-1: a
 * verdict short of PASS on any of them is a false alarm (flakiness is one too).
 */
import { parseArgs } from 'node:util';
import { builtInProfileIds } from '../../src/spec/builtin-specs.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { BROKEN_CORPUS } from '../support/broken-corpus.ts';
import { correctLine, entryLine, runBrokenEntry, runCorrectMock } from './teeth-run.ts';
import { correctServers } from './correct-servers.ts';

const started = Date.now();
let opts: { runs: number; seed: number; seeds: number };
try {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      seeds: { type: 'string', default: '0' },
    },
  });
  opts = {
    runs: int(values.runs, '--runs', 1),
    seed: int(values.seed, '--seed', 0),
    seeds: int(values.seeds, '--seeds', 0),
  };
} catch (e) {
  process.stderr.write(`run-teeth: ${(e as Error).message}\n`);
  process.exit(2);
}

const scenarios = loadScenarios();
const out = (line: string) => process.stdout.write(line + '\n');
out(
  `teeth: ${BROKEN_CORPUS.length} broken implementations and ${builtInProfileIds().length} correct mocks over HTTP, ${opts.runs} runs per property, seed ${opts.seed}\n`,
);
out(
  `${'profile'.padEnd(10)}  ${'broken implementation'.padEnd(54)}  result  scenarios that failed`,
);
let caught = 0;
for (const entry of BROKEN_CORPUS) {
  const r = await runBrokenEntry(entry, scenarios, opts);
  if (r.caught) caught++;
  out(entryLine(r));
}
out(`\ncaught ${caught}/${BROKEN_CORPUS.length}\n`);

out('correct mock over HTTP, every scenario (any verdict but PASS is a false alarm):');
let alarms = 0;
for (const id of builtInProfileIds()) {
  const r = await runCorrectMock(id, scenarios, opts);
  alarms += r.falseAlarms.length;
  out(correctLine(r));
}
out(`\nfalse alarms ${alarms}`);

if (opts.seeds > 0) {
  const servers = correctServers(scenarios);
  out(
    `\ncorrect implementations over ${opts.seeds} seeds (${opts.seed}..${opts.seed + opts.seeds - 1}), ${opts.runs} runs per property:`,
  );
  let seedAlarms = 0;
  for (const server of servers) {
    const t0 = Date.now();
    const found: string[] = [];
    for (let s = opts.seed; s < opts.seed + opts.seeds; s++)
      found.push(...(await server.falseAlarms(s, opts.runs)).map((a) => `seed ${s}: ${a}`));
    seedAlarms += found.length;
    out(
      `${server.name.padEnd(28)}  ${found.length} false alarm(s)  (${((Date.now() - t0) / 1000).toFixed(1)} s)${found.length ? `\n    ${found.join('\n    ')}` : ''}`,
    );
  }
  out(`\nfalse alarms over ${opts.seeds} seeds: ${seedAlarms}`);
  alarms += seedAlarms;
}
out(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = caught === BROKEN_CORPUS.length && alarms === 0 ? 0 : 1;

function int(v: string, flag: string, min: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min)
    throw new Error(`${flag} must be an integer of at least ${min}, got "${v}"`);
  return Number(v);
}
