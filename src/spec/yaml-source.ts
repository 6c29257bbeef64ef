/**
 * A YAML file parsed with source positions, so any JSON path into its data can be turned back
 * into the line and column a person should look at.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import { SpecError, type SpecProblem } from './spec-error.ts';

export type PathSegment = string | number;

export interface YamlSource {
  /** Path shown to the user (relative to the working directory when inside it). */
  file: string;
  data: unknown;
  /** The text the data was parsed from (a source built from data alone has none). */
  text?: string;
  /** Where a value sits; with `key: true`, where its key sits (for "unknown field" errors). */
  locate(path: readonly PathSegment[], opts?: { key?: boolean }): { line: number; column: number };
  problem(path: readonly PathSegment[], message: string, opts?: { key?: boolean }): SpecProblem;
}

export function displayPath(absPath: string): string {
  const rel = relative(process.cwd(), absPath);
  return rel && !rel.startsWith('..') ? rel : absPath;
}

/** Reads and parses a YAML file; a syntax error becomes a SpecError at its position. */
export function readYamlSource(absPath: string): YamlSource {
  const { file, text } = readSpecText(absPath);
  return parseYamlSource(text, file);
}

/** A spec file's text and its displayed path; a file that cannot be read is a SpecError at 1:1. */
export function readSpecText(absPath: string): { file: string; text: string } {
  const file = displayPath(absPath);
  try {
    return { file, text: readFileSync(absPath, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'read error';
    throw new SpecError([{ file, line: 1, column: 1, message: `cannot read file (${code})` }]);
  }
}

/** A parsed file: its document (for positions) and its plain data, never handed out itself. */
interface Parsed {
  text: string;
  doc: Document;
  lineCounter: LineCounter;
  data: unknown;
}

/**
 * Parsed spec files by displayed path, at most PARSED_MAX of them (the oldest goes first). A run
 * reads the same scenario files, profile and fixtures at each `verify()`, and a test file calls it
 * dozens of times: parsing was a third of the engine's time there. An entry is used only for the
 * very same text; each caller gets its own copy of the data, so a caller's edits reach no one else.
 */
const parsedFiles = new Map<string, Parsed>();
const PARSED_MAX = 256;

export function parseYamlSource(text: string, file: string): YamlSource {
  const cached = parsedFiles.get(file);
  const parsed = cached?.text === text ? cached : parseValid(text, file);
  if (parsed !== cached) {
    parsedFiles.delete(file);
    if (parsedFiles.size >= PARSED_MAX) parsedFiles.delete(parsedFiles.keys().next().value!);
    parsedFiles.set(file, parsed);
  }
  const { doc, lineCounter } = parsed;
  const data = structuredClone(parsed.data);
  const locate = (path: readonly PathSegment[], opts?: { key?: boolean }) => {
    const offset = offsetOf(doc, path, opts?.key ?? false);
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return sourceOf(file, data, text, locate);
}

/** A source from its parts: `problem` places a message where `locate` finds the path. */
export function sourceOf(
  file: string,
  data: unknown,
  text: string,
  locate: YamlSource['locate'],
): YamlSource {
  return {
    file,
    data,
    text,
    locate,
    problem: (path, message, opts) => ({ file, ...locate(path, opts), message }),
  };
}

/** Parses a file's text; a syntax error, an empty file or an alias bomb is a SpecError. */
function parseValid(text: string, file: string): Parsed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = [...doc.errors];
  if (syntax.length > 0) {
    throw new SpecError(
      syntax.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        const reason = e.message.split('\n')[0] ?? e.message;
        return { file, line: pos.line, column: pos.col, message: `invalid YAML: ${reason}` };
      }),
    );
  }
  if (doc.contents === null)
    throw new SpecError([{ file, line: 1, column: 1, message: 'the file is empty' }]);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    // An alias bomb (or any failure to build plain data) is a property of the file, not a crash.
    throw new SpecError([
      { file, line: 1, column: 1, message: `invalid YAML: ${(err as Error).message}` },
    ]);
  }
  return { text, doc, lineCounter, data };
}

/** Walks as deep as the path goes and returns the start offset of the deepest node found. */
function offsetOf(doc: Document, path: readonly PathSegment[], wantKey: boolean): number {
  let node: Node | null | undefined = doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) return offset;
      const keyNode = pair.key as Node;
      if (last && wantKey) return keyNode.range?.[0] ?? offset;
      node = pair.value as Node | null;
      offset = node?.range?.[0] ?? keyNode.range?.[0] ?? offset;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as Node | undefined;
      if (!item) return offset;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}
