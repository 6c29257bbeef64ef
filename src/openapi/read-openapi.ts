/**
 * Reads an OpenAPI 3.0 / 3.1 or Swagger 2.0 document (a file or an http(s) URL), checks it with
 * @readme/openapi-parser (the maintained fork of swagger-parser that reads 3.1 and runs on Node 20)
 * and bundles its external `$ref`s into local ones. Every problem is a SpecError at the file's
 * line and column: YAML/JSON syntax from the `yaml` parser, validation errors mapped back from
 * the parser's JSON pointer or code frame.
 */
import { dirname, resolve } from 'node:path';
import { bundle, validate } from '@readme/openapi-parser';
import { SpecError } from '../spec/spec-error.ts';
import {
  parseYamlSource,
  readSpecText,
  type PathSegment,
  type YamlSource,
} from '../spec/yaml-source.ts';

export type OpenApiVersion = '2.0' | '3.0' | '3.1';

export interface OpenApiDocument {
  /** Where it was read from, as shown to the user. */
  file: string;
  version: OpenApiVersion;
  /** The document with external $refs bundled in; local `#/...` refs are left as they are. */
  doc: Record<string, unknown>;
  /** The document as parsed, with its positions: where a problem with it is shown. */
  source: YamlSource;
}

export async function readOpenApi(location: string): Promise<OpenApiDocument> {
  const isUrl = /^https?:\/\//.test(location);
  const { file, text } = isUrl ? await fetchText(location) : readSpecText(resolve(location));
  const source = parseYamlSource(text, file);
  const data = source.data as Record<string, unknown>;
  const at = (path: PathSegment[], message: string) =>
    new SpecError([source.problem(path, message)]);
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new SpecError([
      { file, line: 1, column: 1, message: 'not an OpenAPI document (no object at the top)' },
    ]);
  const version = versionOf(data);
  if (version === undefined)
    throw at(
      data.openapi !== undefined ? ['openapi'] : data.swagger !== undefined ? ['swagger'] : [],
      `not an OpenAPI 3.0, 3.1 or Swagger 2.0 document: expected "openapi: 3.0.x|3.1.x" or "swagger: '2.0'"`,
    );
  // External refs first: a file's relative refs resolve beside it, a URL's beside the URL (the
  // validator given the parsed data alone would resolve them against the working directory). A
  // ref that cannot be read or points nowhere is the user's error, said at the $ref naming it.
  // A document of one file is used as read: the parser refuses to fetch a URL of localhost or
  // an internal address (its SSRF guard), where a framework serves its own /openapi.json.
  let doc: Record<string, unknown> = structuredClone(data);
  if (refsOf(data).some(([, ref]) => !ref.startsWith('#')))
    try {
      doc = (await bundle(isUrl ? location : resolve(location))) as unknown as typeof doc;
    } catch (err) {
      const message = String((err as Error).message).split('\n')[0]!;
      const local = isUrl
        ? ' (refs are not fetched from localhost or internal addresses: save the files and give --from the file)'
        : '';
      throw at(
        pathOfRef(message, data, location) ?? [],
        `cannot resolve a $ref: ${message}${local}`,
      );
    }
  // The bundled document is the parsed one where it had no external ref: its error lines map back.
  const checked = await validate(structuredClone(doc) as never, {
    validate: { errors: { colorize: false } },
  });
  if (!checked.valid)
    throw new SpecError(
      checked.errors.map((e) => {
        const path = pathOfRef(e.message, data, location) ?? pathOfError(e.message, doc);
        const first = e.message.split('\n')[0] ?? e.message;
        return source.problem(
          path,
          `invalid ${version === '2.0' ? 'Swagger' : 'OpenAPI'} ${version}: ${first}`,
        );
      }),
    );
  return { file, version, doc, source };
}

/** Every `$ref` of the document, with where it is. */
function refsOf(data: unknown): [PathSegment[], string][] {
  const refs: [PathSegment[], string][] = [];
  const walk = (node: unknown, path: PathSegment[]): void => {
    if (node === null || typeof node !== 'object') return;
    if (!Array.isArray(node) && typeof (node as { $ref?: unknown }).$ref === 'string')
      refs.push([[...path, '$ref'], (node as { $ref: string }).$ref]);
    for (const [k, v] of Object.entries(node))
      walk(v, [...path, Array.isArray(node) ? Number(k) : k]);
  };
  walk(data, []);
  return refs;
}

/**
 * The $ref a parser error names: the one whose text it quotes (`Missing $ref pointer "#/x"`), or
 * whose file it could not open (the ref's file part, resolved beside the document).
 */
function pathOfRef(message: string, data: unknown, location: string): PathSegment[] | undefined {
  const refs = refsOf(data);
  const quoted = refs.find(([, ref]) => message.includes(`"${ref}"`));
  if (quoted) return quoted[0];
  const opened = refs.find(([, ref]) => {
    const file = ref.split('#')[0]!;
    if (file === '') return false;
    const where = /^https?:\/\//.test(location)
      ? new URL(file, location).href
      : resolve(dirname(resolve(location)), file);
    return message.includes(where);
  });
  return opened?.[0];
}

function versionOf(data: Record<string, unknown>): OpenApiVersion | undefined {
  if (String(data.swagger) === '2.0') return '2.0';
  const v = typeof data.openapi === 'string' ? data.openapi : '';
  return v.startsWith('3.0') ? '3.0' : v.startsWith('3.1') ? '3.1' : undefined;
}

async function fetchText(url: string): Promise<{ file: string; text: string }> {
  let answer: Response;
  try {
    answer = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new SpecError([
      { file: url, line: 1, column: 1, message: `cannot fetch (${(err as Error).message})` },
    ]);
  }
  if (!answer.ok)
    throw new SpecError([
      { file: url, line: 1, column: 1, message: `cannot fetch: HTTP ${answer.status}` },
    ]);
  return { file: url, text: await answer.text() };
}

/**
 * Where a parser error points: a `/paths/...` pointer in backticks, or the `>` line of its code
 * frame (a rendering of the document as JSON with two-space indents), mapped to the data's path.
 */
function pathOfError(message: string, data: unknown): PathSegment[] {
  const pointer = /`(\/[^`]*)`/.exec(message)?.[1];
  if (pointer !== undefined) return pathOfPointer(pointer, data);
  const line = /^>\s*(\d+)\s*\|/m.exec(message)?.[1];
  return line === undefined ? [] : pathOfJsonLine(data, Number(line));
}

/** Greedy: keys such as `/pets/{id}` hold slashes, so each level takes the longest key that fits. */
function pathOfPointer(pointer: string, data: unknown): PathSegment[] {
  const path: PathSegment[] = [];
  let rest = pointer;
  let node = data;
  while (rest.startsWith('/') && node !== null && typeof node === 'object') {
    const keys = Object.keys(node).sort((a, b) => b.length - a.length);
    const key = keys.find(
      (k) =>
        rest === `/${k}` || rest.startsWith(`/${k}/`) || rest === k || rest.startsWith(`${k}/`),
    );
    if (key === undefined) break;
    path.push(Array.isArray(node) ? Number(key) : key);
    node = (node as Record<string, unknown>)[key];
    rest = rest.slice(rest.startsWith(`/${key}`) ? key.length + 1 : key.length);
  }
  return path;
}

/** The path of the value on `line` (1-based) of JSON.stringify(data, null, 2). */
function pathOfJsonLine(data: unknown, line: number): PathSegment[] {
  let current = 1;
  const walk = (value: unknown, path: PathSegment[]): PathSegment[] | undefined => {
    if (current === line) return path;
    if (value === null || typeof value !== 'object') return undefined;
    const entries: [PathSegment, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return undefined;
    for (const [k, v] of entries) {
      current++;
      const found = walk(v, [...path, k]);
      if (found) return found;
    }
    current++; // the closing bracket
    return current === line ? path : undefined;
  };
  return walk(data, []) ?? [];
}
