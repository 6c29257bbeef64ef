/**
 * What a report says about where its requirements come from and what it ran against: each
 * profile's guide (title, version, URL, the shipped copy and its SHA-256), and the target once
 * (its URL only where it says more than its description).
 */
import { existsSync, statSync } from 'node:fs';
import type { Profile } from '../model/profile.ts';
import { sourceFile, sourceLine, sourceOf } from '../spec/profile-source.ts';
import { specFile } from './spec-manifest.ts';

/** A profile's guide as a report names it. */
export interface SourceRecord {
  title: string;
  version?: string;
  url?: string;
  /** The copy of the guide: package-relative for a built-in profile, as displayed otherwise. */
  path?: string;
  /** SHA-256 of that copy, when it exists: which text the cited sentences were quoted from. */
  sha256?: string;
}

export function sourceRecord(source: Profile['source'], profileFile: string): SourceRecord {
  const named = sourceOf(source);
  const file = sourceFile(named, profileFile);
  if (file === undefined || !existsSync(file) || !statSync(file).isFile()) return { ...named };
  const { file: path, sha256 } = specFile(file);
  return { ...named, path, sha256 };
}

/** One line naming a guide: title, version, URL, path. */
export function sourceText(source: SourceRecord): string {
  return sourceLine(source);
}

/**
 * The target as label and value, once: a URL target's description is its URL, so it is not
 * repeated as "Target URL"; the bundled mock's description is followed by the URL it listened on.
 */
export function targetFacts(target: { description: string; url: string }): [string, string][] {
  return target.url === target.description || !target.url
    ? [['Target', target.description]]
    : [
        ['Target', target.description],
        ['Target URL', target.url],
      ];
}

/** The target in a sentence: its description, and its URL in parentheses when that differs. */
export function targetText(target: { description: string; url: string }): string {
  return target.url === target.description || !target.url
    ? target.description
    : `${target.description} (${target.url})`;
}

/** Per profile, the guide its rows cite: `id: title, version V, URL, path (SHA-256 …)`. */
export function guideLines(profiles: readonly { id: string; source?: SourceRecord }[]): string[] {
  return profiles.flatMap((p) =>
    p.source
      ? [
          `${p.id}: ${sourceText(p.source)}${p.source.sha256 ? ` (SHA-256 ${p.source.sha256})` : ''}`,
        ]
      : [],
  );
}

/** The guide as JUnit properties (source.title, source.version, source.url, source.path, ...). */
export function sourceProperties(source: SourceRecord | undefined): [string, string][] {
  return source
    ? Object.entries(source).map(([k, v]) => [`source.${k}`, String(v)] as [string, string])
    : [];
}
