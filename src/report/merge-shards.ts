/**
 * `authconform merge`: the report.json of each shard of a `--shard I/N` run, joined into the
 * record of the whole run: every verdict in the run's order, the coverage, the totals and the exit
 * code an unsharded run gives. Each file is checked against report.json's schema, and shards of
 * different runs (another profile set, seed, target, spec or deal) or a shard missing or given
 * twice are refused, naming the files and the field.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ajvProblems } from '../spec/ajv-problems.ts';
import { readJsonSource } from '../spec/json-source.ts';
import { schemaRegistry } from '../spec/schema-registry.ts';
import { SpecError, type SpecProblem } from '../spec/spec-error.ts';
import type { YamlSource } from '../spec/yaml-source.ts';
import { coverageOf, type PlannedScenario } from './coverage.ts';
import { outcomeOf, type FailOn, type RecordedVerdict, type RunRecord } from './run-record.ts';
import type { Verdict } from '../verdict/verdict.ts';

/** One shard's report as read: where from, and its record. */
interface ShardReport {
  source: YamlSource;
  record: RunRecord & { shard: NonNullable<RunRecord['shard']> };
}

/** Applies --waivers to the joined verdicts, given the scenarios of the run (applicable or not). */
export type Waive = (verdicts: Verdict[], scenarios: string[]) => Verdict[];

/** What must be the same in every shard of one run, with how a person names it. */
const SAME_RUN: [keyof RunRecord, string][] = [
  ['tool', 'the authconform version'],
  ['profiles', 'the profile set (ids and SHA-256)'],
  ['seed', 'the seed'],
  ['runs', 'the runs per property'],
  ['target', 'the target'],
  ['failOn', '--fail-on'],
  ['certify', '--certify'],
  ['scenarioFilter', 'the --scenario/--exclude selection'],
  ['specSha256', 'the specs (SHA-256 of every spec file)'],
];

/**
 * Reads the shards' reports (a folder holding report.json, or the file) and joins them. Throws
 * SpecError (file:line:col) for a file that is missing or not a report, and for shards that are
 * not the N shards of one run.
 */
export function mergeShardReports(paths: readonly string[], waive: Waive = (v) => v): RunRecord {
  if (paths.length === 0)
    throw new SpecError([
      { file: '(arguments)', line: 1, column: 1, message: 'give the folders of the shards' },
    ]);
  return mergeShards(paths.map(readShardReport), waive);
}

function readShardReport(path: string): ShardReport {
  const abs = resolve(path);
  const file = existsSync(abs) && statSync(abs).isDirectory() ? join(abs, 'report.json') : abs;
  const source = readJsonSource(file);
  const validate = schemaRegistry().validator('report.schema.json');
  if (!validate(source.data))
    throw new SpecError(
      ajvProblems(source, validate.errors ?? [], source.data).map((p) => ({
        ...p,
        message: `not an authconform report.json (report.schema.json): ${p.message}`,
      })),
    );
  const record = source.data as RunRecord;
  if (!record.shard)
    throw new SpecError([
      source.problem(
        [],
        'the report of a whole run, not of a shard (no "shard"): merge the reports of `authconform run --shard I/N`',
      ),
    ]);
  return { source, record: record as ShardReport['record'] };
}

function mergeShards(shards: readonly ShardReport[], waive: Waive): RunRecord {
  const [first] = shards;
  const problems: SpecProblem[] = [];
  for (const s of shards.slice(1)) {
    for (const [field, name] of SAME_RUN)
      if (!isDeepStrictEqual(s.record[field], first!.record[field]))
        problems.push(
          s.source.problem(
            s.record[field] === undefined ? [] : [field],
            `${name} differs from ${first!.source.file} (${show(s.record[field])} here, ${show(first!.record[field])} there): shards of different runs`,
          ),
        );
    if (s.record.shard.count !== first!.record.shard.count)
      problems.push(
        s.source.problem(
          ['shard', 'count'],
          `a shard of ${s.record.shard.count}, ${first!.source.file} is of ${first!.record.shard.count}: shards of different runs`,
        ),
      );
    else if (!isDeepStrictEqual(s.record.shard.cases, first!.record.shard.cases))
      problems.push(
        s.source.problem(
          ['shard', 'cases'],
          `its cases are dealt otherwise than in ${first!.source.file} (other scenarios, credentials or target): shards of different runs`,
        ),
      );
  }
  if (problems.length > 0) throw new SpecError(problems);

  const { count, cases } = first!.record.shard;
  const byIndex = new Map<number, ShardReport>();
  for (const s of shards) {
    const twin = byIndex.get(s.record.shard.index);
    if (twin)
      problems.push(
        s.source.problem(
          ['shard', 'index'],
          `shard ${s.record.shard.index}/${count} again: ${twin.source.file} is that shard too`,
        ),
      );
    byIndex.set(s.record.shard.index, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    problems.push(
      first!.source.problem(
        ['shard', 'count'],
        `shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing: merge all ${count} shards of the run`,
      ),
    );
  if (problems.length > 0) throw new SpecError(problems);

  // Every verdict and not-applicable scenario in the order of the whole run's cases.
  const place = new Map(cases.map((c, i) => [`${c.profile}\0${c.scenario}`, i]));
  const at = (profile: string, scenario: string) =>
    place.get(`${profile}\0${scenario}`) ?? Number.MAX_SAFE_INTEGER;
  const ordered = [...byIndex].sort(([a], [b]) => a - b).map(([, s]) => s.record);
  const joined = ordered
    .flatMap((r) => r.verdicts)
    .sort((a, b) => at(a.profile, a.scenario) - at(b.profile, b.scenario));
  const planned: PlannedScenario[] = ordered
    .flatMap((r) =>
      r.coverage.flatMap((c) =>
        c.notApplicableScenarios.map((n) => ({
          profile: c.profile,
          scenario: { id: n.scenario, title: n.title, severity: n.severity },
          plan: { kind: 'not-applicable' as const, reason: n.reason },
        })),
      ),
    )
    .sort((a, b) => at(a.profile, a.scenario.id) - at(b.profile, b.scenario.id));
  // --waivers given to merge apply to the whole run, as they would to an unsharded one.
  const verdicts = waive(joined, [
    ...new Set([...joined.map((v) => v.scenario), ...planned.map((p) => p.scenario.id)]),
  ]) as RecordedVerdict[];
  const started = Math.min(...ordered.map((r) => Date.parse(r.date)));
  const ended = Math.max(...ordered.map((r) => Date.parse(r.date) + r.durationMs));
  const { shard: _shard, ...whole } = first!.record as RunRecord & { $schema?: string };
  delete (whole as { $schema?: string; formatVersion?: number }).$schema;
  delete (whole as { $schema?: string; formatVersion?: number }).formatVersion;
  return {
    ...whole,
    date: new Date(started).toISOString(),
    durationMs: ended - started,
    coverage: coverageOf(
      first!.record.profiles.map((p) => p.id),
      verdicts,
      planned,
    ),
    verdicts,
    ...outcomeOf(verdicts, first!.record.failOn as FailOn),
  };
}

function show(value: unknown): string {
  const text = value === undefined ? 'none' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
