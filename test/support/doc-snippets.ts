// The code shown to a library user, checked by the TypeScript compiler: the exports of the
// package's entries with their TSDoc (doc comment, `@example` count), each `@example` and each
// ```ts block of a Markdown doc type-checked as a file of its own that imports 'authconform',
// 'authconform/vitest', ... mapped to the sources as tsconfig.json's "paths" maps them.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const REPO_ROOT = join(import.meta.dirname, '../..');

/** A piece of code a reader is shown, and where: `file:line` of its first line of code. */
export interface Snippet {
  where: string;
  code: string;
}

/** One export of an entry and what its TSDoc holds. */
export interface ExportDoc {
  /** `authconform/vitest: conformanceSuite (src/vitest/conformance-suite.ts:52)` */
  label: string;
  kind: 'function' | 'class' | 'value' | 'type';
  documented: boolean;
  examples: Snippet[];
}

function compilerOptions(): ts.CompilerOptions {
  const file = join(REPO_ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(file, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, REPO_ROOT).options;
}

/** The package entries, as tsconfig.json's "paths" resolve them to sources. */
export function entryFiles(): Map<string, string> {
  const paths = compilerOptions().paths ?? {};
  return new Map(Object.entries(paths).map(([name, [file]]) => [name, join(REPO_ROOT, file!)]));
}

/** Every export of each entry, followed to its definition, with its doc comment and examples. */
export function exportDocs(program: ts.Program, entries: Map<string, string>): ExportDoc[] {
  const checker = program.getTypeChecker();
  const docs: ExportDoc[] = [];
  for (const [entry, file] of entries) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`entry ${entry}: ${file} is not in the program`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decl =
        symbol.declarations?.find((d) => docNodes(d).length > 0) ?? symbol.declarations?.[0];
      if (!decl) continue;
      const sf = decl.getSourceFile();
      const line = sf.getLineAndCharacterOfPosition(decl.getStart()).line + 1;
      const where = `${relative(REPO_ROOT, sf.fileName)}:${line}`;
      docs.push({
        label: `${entry}: ${exported.name} (${where})`,
        kind: kindOf(decl),
        documented: docNodes(decl).some((d) => (ts.getTextOfJSDocComment(d.comment) ?? '').trim()),
        examples: docNodes(decl).flatMap((d) => examplesOf(d, sf)),
      });
    }
  }
  return docs;
}

function kindOf(decl: ts.Declaration): ExportDoc['kind'] {
  if (ts.isFunctionDeclaration(decl)) return 'function';
  if (ts.isClassDeclaration(decl)) return 'class';
  if (ts.isVariableDeclaration(decl)) {
    const init = decl.initializer;
    return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))
      ? 'function'
      : 'value';
  }
  return 'type';
}

/** The `/** ... *\/` comments attached to a declaration (a variable's sit on its statement). */
function docNodes(decl: ts.Node): ts.JSDoc[] {
  return ts.getJSDocCommentsAndTags(decl).filter((n): n is ts.JSDoc => ts.isJSDoc(n));
}

/** Each `@example` of a doc comment: the code between its ``` fences, margins removed. */
function examplesOf(doc: ts.JSDoc, sf: ts.SourceFile): Snippet[] {
  const first = sf.getLineAndCharacterOfPosition(doc.getStart()).line + 1;
  const lines = doc
    .getText()
    .split('\n')
    .map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''));
  const out: Snippet[] = [];
  lines.forEach((l, i) => {
    if (!/^@example\b/.test(l)) return;
    const open = lines.findIndex((m, j) => j > i && /^```/.test(m));
    const close = lines.findIndex((m, j) => j > open && /^```\s*$/.test(m));
    const next = lines.findIndex((m, j) => j > i && /^@\w/.test(m));
    if (open < 0 || close < 0 || (next >= 0 && next < open))
      out.push({ where: `${relative(REPO_ROOT, sf.fileName)}:${first + i}`, code: '' });
    else
      out.push({
        where: `${relative(REPO_ROOT, sf.fileName)}:${first + open + 1}`,
        code: lines.slice(open + 1, close).join('\n'),
      });
  });
  return out;
}

/** The ```ts blocks of a Markdown file. */
export function markdownSnippets(file: string): Snippet[] {
  const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ts\s*$/.test(lines[i]!)) continue;
    const close = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    out.push({ where: `${file}:${i + 2}`, code: lines.slice(i + 1, close).join('\n') });
    i = close;
  }
  return out;
}

/** The program over the package's entries (and what they import). */
export function entriesProgram(): ts.Program {
  return ts.createProgram({ rootNames: [...entryFiles().values()], options: compilerOptions() });
}

/**
 * Type-checks each snippet as a module of its own, placed (in memory only) in a folder at the
 * repository's root, so a bare import resolves as in a user's project (the entries through
 * "paths", other packages from node_modules). Returns one line per error: where the snippet is
 * shown, the line within it, and the compiler's message.
 */
export function typecheckSnippets(snippets: readonly Snippet[], reuse?: ts.Program): string[] {
  const options = compilerOptions();
  const dir = join(REPO_ROOT, '.doc-snippets');
  const virtual = new Map(
    snippets.map((s, i) => [join(dir, `snippet-${i}.ts`), `${s.code}\nexport {};\n`]),
  );
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, version, onError, create) => {
    const text = virtual.get(f);
    // The files of the program reused are handed over as they are: parsed once, not twice.
    return text !== undefined
      ? ts.createSourceFile(f, text, version, true)
      : (reuse?.getSourceFile(f) ?? getSourceFile.call(host, f, version, onError, create));
  };
  const program = ts.createProgram({
    rootNames: [...entryFiles().values(), ...virtual.keys()],
    options,
    host,
    ...(reuse ? { oldProgram: reuse } : {}),
  });
  const problems: string[] = [];
  [...virtual.keys()].forEach((f, i) => {
    const sf = program.getSourceFile(f)!;
    for (const d of [
      ...program.getSyntacticDiagnostics(sf),
      ...program.getSemanticDiagnostics(sf),
    ]) {
      const line = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line : 0;
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      problems.push(`${snippets[i]!.where} (+${line}): ${message}`);
    }
  });
  return problems;
}
