/**
 * Everything a report says about a run, computed once: tool and version, date, target, seed,
 * runs, the specs (with their SHA-256), every verdict with its rerun command, totals and the
 * overall verdict. The JUnit, JSON, Markdown and HTML reporters all read this record and compute
 * nothing of their own, so the four formats cannot disagree.
 *
 * Every string in the record has every known secret masked (prefix + last four): the engine
 * masks requests and bodies already, but a failure's reason can quote a body, and a target URL
 * can carry a password. Reporters can then write any field without checking it again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitCodeOf } from '../verdict/exit-code.ts';
import type { Verdict } from '../verdict/verdict.ts';
import type { LoadedProfile } from '../spec/load-profile.ts';
import { PACKAGE_ROOT } from '../spec/spec-paths.ts';
import { maskSecret } from '../secrets/mask.ts';
import { maskKnownSecrets } from '../secrets/mask-known-secrets.ts';
import {
  bannerOf,
  coverageOf,
  mustGaps,
  type PlannedScenario,
  type ProfileCoverage,
} from './coverage.ts';
import type { BaselineRecord } from './baseline.ts';
import type { WaiversRecord } from './waivers.ts';
import type { ShardedCase } from '../verdict/sharded-case.ts';
import { sourceRecord, type SourceRecord } from './sources.ts';
import {
  manifestSha256,
  scenarioSpecFiles,
  schemaSpecFiles,
  specFile,
  type SpecFile,
} from './spec-manifest.ts';

/** skip: a MUST failure, or a MUST that applied but was not checked in full (SKIP, PARTIAL). */
export type FailOn = 'must' | 'should' | 'skip';
export type OverallVerdict = 'PASS' | 'FAIL' | 'ERROR';

/** A verdict as reported: every field the engine gave (present and future), plus its rerun. */
export type RecordedVerdict = Verdict & { rerun: string };

export interface ProfileRecord {
  id: string;
  name: string;
  version: string;
  /** The profile YAML and its SHA-256. */
  file: string;
  sha256: string;
  /** SHA-256 over this profile's file, every scenario file and every schema (spec-manifest.ts). */
  specSha256: string;
  /** The guide the requirements are quoted from: title, version, URL, copy (sources.ts). */
  source?: SourceRecord;
}

/** How many verdicts of each status a run gave (`failMust` + `failShould` = `fail`). */
export interface RunTotals {
  total: number;
  pass: number;
  fail: number;
  failMust: number;
  failShould: number;
  skip: number;
  /** Passed what could be checked; part of the requirement could not be (never a pass). */
  partial: number;
  error: number;
  /** FAIL or ERROR turned WAIVED by --waivers (never a pass). */
  waived?: number;
}

/**
 * What one `verify()` returns: what was run (tool, profiles with their spec hashes, target, seed,
 * runs), every verdict with its rerun command (secrets masked), the totals, and the overall
 * verdict with the exit code the CLI would give. Every reporter renders it; report.json is it.
 */
export interface RunRecord {
  tool: { name: string; version: string };
  /** When the run started, ISO 8601 UTC. */
  date: string;
  durationMs: number;
  target: { description: string; url: string };
  seed: number;
  runs: number;
  /** new: set by withWaiversAndBaseline (waivers-baseline-gate.ts) for --fail-on new. */
  failOn: FailOn | 'new';
  /** --waivers: what was waived, and the waivers that no longer hold (waivers.ts). */
  waivers?: WaiversRecord;
  /** --baseline: each profile x scenario against an earlier run (baseline.ts). */
  baseline?: BaselineRecord;
  /** A --certify run: --fail-on skip over the whole suite (run-command.ts says what else). */
  certify?: true;
  /** The --scenario filter, when one narrowed the run. */
  scenarioFilter?: string;
  /** A --shard run: which shard, and every case of the whole run with the shard it went to. */
  shard?: ShardRecord;
  profiles: ProfileRecord[];
  /** Per profile: what applied, what was checked in full, what was not and why (coverage.ts). */
  coverage: ProfileCoverage[];
  scenarioFiles: SpecFile[];
  schemaFiles: SpecFile[];
  /** SHA-256 over every spec file of the run: all profiles, scenario files and schemas. */
  specSha256: string;
  verdicts: RecordedVerdict[];
  totals: RunTotals;
  /**
   * banner: the verdict's headline, what every report shows largest: "PASS", "FAIL", "ERROR", or
   * "PASS with gaps: N MUST not checked" (a MUST skipped or partial, without --fail-on skip).
   */
  overall: { verdict: OverallVerdict; reason: string; exitCode: number; banner: string };
}

/** `--shard i/n`: this record holds the verdicts of shard `index` of `count` (1-based). */
export interface ShardRecord {
  index: number;
  count: number;
  /** Every case of the whole run, in its order, with the shard it is dealt to and its cost. */
  cases: ShardedCase[];
}

export interface RunRecordInput {
  profiles: readonly LoadedProfile[];
  target: { description: string; url: string };
  seed: number;
  runs: number;
  failOn: FailOn;
  scenarioFilter?: string;
  certify?: boolean;
  verdicts: readonly Verdict[];
  /** The run's plan (planRun): where the not-applicable scenarios and their reasons come from. */
  planned?: readonly PlannedScenario[];
  /** The rerun command of one verdict (the CLI knows the flags it was given). */
  rerun: (v: Verdict) => string;
  /** Every credential of the run (secretsOf of each profile's credentials). */
  secrets: readonly string[];
  startedAt: Date;
  durationMs: number;
  /** The run's `--scenarios` paths: their files join the built-in ones in the spec hash. */
  scenarioDirs?: readonly string[];
  /** Where the schemas were read from; the built-in folder by default. */
  schemaDir?: string;
  shard?: ShardRecord;
}

export function buildRunRecord(input: RunRecordInput): RunRecord {
  const mask = maskerFor(input.secrets, input.target.url);
  const scenarioFiles = scenarioSpecFiles(input.scenarioDirs);
  const schemaFiles = schemaSpecFiles(input.schemaDir);
  const profileFiles = input.profiles.map((p) => specFile(p.file));
  const profiles = input.profiles.map(({ profile, file }, i) => ({
    id: profile.id,
    name: profile.name,
    version: profile.version,
    file: profileFiles[i]!.file,
    sha256: profileFiles[i]!.sha256,
    specSha256: manifestSha256([profileFiles[i]!, ...scenarioFiles, ...schemaFiles]),
    source: sourceRecord(profile.source, file),
  }));
  const verdicts = input.verdicts.map((v) => maskDeep({ ...v, rerun: input.rerun(v) }, mask));
  return {
    tool: toolIdentity(),
    date: input.startedAt.toISOString(),
    durationMs: input.durationMs,
    target: maskDeep({ ...input.target }, mask),
    seed: input.seed,
    runs: input.runs,
    failOn: input.failOn,
    ...(input.certify ? { certify: true as const } : {}),
    ...(input.scenarioFilter !== undefined ? { scenarioFilter: input.scenarioFilter } : {}),
    ...(input.shard ? { shard: input.shard } : {}),
    profiles,
    coverage: maskDeep(
      coverageOf(
        profiles.map((p) => p.id),
        verdicts,
        input.planned,
      ),
      mask,
    ),
    scenarioFiles,
    schemaFiles,
    specSha256: manifestSha256([...profileFiles, ...scenarioFiles, ...schemaFiles]),
    verdicts,
    ...outcomeOf(verdicts, input.failOn, input.shard !== undefined),
  };
}

/** The totals and the overall verdict of a run's verdicts (a run's, or shards' merged). */
export function outcomeOf(
  verdicts: Verdict[],
  failOn: FailOn,
  ofShard = false,
): Pick<RunRecord, 'totals' | 'overall'> {
  const totals = totalsOf(verdicts);
  const exitCode = exitCodeOf(verdicts, failOn, ofShard);
  const verdict: OverallVerdict = exitCode === 0 ? 'PASS' : exitCode === 3 ? 'ERROR' : 'FAIL';
  const gaps = mustGaps(verdicts);
  return {
    totals,
    overall: {
      verdict,
      reason: overallReason(totals, failOn, exitCode, gaps),
      exitCode,
      banner: bannerOf(verdict, verdicts),
    },
  };
}

/** The first line of a reason, at most 160 characters: what a table cell shows of it. */
export function headline(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

let identity: { name: string; version: string } | undefined;
/** The tool's name and version, as package.json declares them. */
export function toolIdentity(): { name: string; version: string } {
  identity ??= (() => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    return { name: pkg.name, version: pkg.version };
  })();
  return identity;
}

function totalsOf(verdicts: readonly Verdict[]): RunTotals {
  const n = (p: (v: Verdict) => boolean) => verdicts.filter(p).length;
  return {
    total: verdicts.length,
    pass: n((v) => v.status === 'PASS'),
    partial: n((v) => v.status === 'PARTIAL'),
    fail: n((v) => v.status === 'FAIL'),
    failMust: n((v) => v.status === 'FAIL' && v.severity === 'MUST'),
    failShould: n((v) => v.status === 'FAIL' && v.severity === 'SHOULD'),
    skip: n((v) => v.status === 'SKIP'),
    error: n((v) => v.status === 'ERROR'),
    ...(verdicts.some((v) => v.status === 'WAIVED')
      ? { waived: n((v) => v.status === 'WAIVED') }
      : {}),
  };
}

/** One sentence a person reads under the overall verdict: why the run passed or did not. */
function overallReason(
  t: RunTotals,
  failOn: FailOn,
  exitCode: number,
  gaps: { skipped: number; partial: number },
): string {
  const skipped =
    (t.partial
      ? `; ${t.partial} partial (passed what could be checked, part of the requirement was not)`
      : '') + (t.skip ? `; ${t.skip} skipped (a skip is never counted as a pass)` : '');
  if (exitCode === 3)
    return `${t.error} case(s) could not be asked of the target (ERROR): no verdict on them`;
  if (t.failMust > 0 || (failOn === 'should' && t.failShould > 0)) {
    const should = failOn === 'should' && t.failShould ? `, ${t.failShould} SHOULD` : '';
    return `${t.failMust} MUST${should} requirement(s) failed (--fail-on ${failOn})${skipped}`;
  }
  // A MUST that applied and was not checked in full: never "every MUST requirement passed".
  const notChecked = gaps.skipped + gaps.partial;
  const mustGap = notChecked
    ? `${notChecked} MUST requirement(s) not checked in full (${[
        gaps.skipped ? `${gaps.skipped} skipped` : '',
        gaps.partial ? `${gaps.partial} partial` : '',
      ]
        .filter(Boolean)
        .join(', ')})`
    : '';
  if (failOn === 'skip' && notChecked > 0 && !(exitCode === 1 && t.pass + t.partial === 0))
    return `${mustGap}: --fail-on skip fails a run that left a MUST unchecked${skipped}`;
  if (exitCode === 1) return `nothing passed: a run of only skips certifies nothing${skipped}`;
  const shouldNote = t.failShould
    ? `; ${t.failShould} SHOULD requirement(s) failed, reported without failing the run (--fail-on ${failOn})`
    : '';
  if (notChecked > 0)
    return `${mustGap}: the run does not show that every MUST holds, only that what was checked passed (${t.pass} passed)${shouldNote}${skipped}; --fail-on skip (or --certify) fails such a run`;
  return `every MUST requirement that applies passed (${t.pass} passed)${shouldNote}${skipped}`;
}

/**
 * One verdict as the record holds it, for a caller that shows verdicts while the run goes (the
 * vitest integration): its rerun command added, the run's secrets masked as buildRunRecord masks.
 */
export function verdictMasker(
  secrets: readonly string[],
  url: string,
): (v: Verdict, rerun: string) => RecordedVerdict {
  const mask = maskerFor(secrets, url);
  return (v, rerun) => maskDeep({ ...v, rerun }, mask);
}

/**
 * Masks the run's secrets in a string, and the password of a target URL (https://user:pw@host)
 * wherever the URL appears (an ERROR's reason quotes it): as `:pw@`, so a short password does
 * not mask every look-alike in a body; anywhere when it is long enough to be unmistakable.
 */
function maskerFor(secrets: readonly string[], url: string): (s: string) => string {
  let raw = '';
  try {
    raw = new URL(url).password;
  } catch {
    // not a URL ("mock"): nothing to mask in it
  }
  const password = raw ? decodeURIComponent(raw) : '';
  // Longest first: a secret that holds another is masked whole, not around the shorter one.
  const all = [...secrets, ...(password.length >= 8 ? [password] : [])].sort(
    (a, b) => b.length - a.length,
  );
  const inUrl = [...new Set([raw, encodeURIComponent(password), password])].filter(Boolean);
  return (s) =>
    maskKnownSecrets(
      inUrl.reduce((t, p) => t.split(`:${p}@`).join(`:${maskSecret(password)}@`), s),
      all,
    );
}

/**
 * Every string inside `value` (keys too) through `mask`; other values as they are (a Date or
 * any other class a later verdict field may hold is kept, not flattened).
 */
function maskDeep<T>(value: T, mask: (s: string) => string): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) return value.map((x) => maskDeep(x, mask)) as T;
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [mask(k), maskDeep(v, mask)]),
    ) as T;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
