// Issue 15 item 1: every public function and class of the package's entries says what it does in
// a doc comment with exactly one example, every public type has a doc comment, and every example
// (in the TSDoc and in docs/library.md) compiles against the sources, so none can rot.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  entriesProgram,
  entryFiles,
  exportDocs,
  markdownSnippets,
  typecheckSnippets,
  type ExportDoc,
} from '../support/doc-snippets.ts';

// Two snippets a checker must refuse: a wrong option type, and a name the package does not export.
const WRONG = [
  {
    where: 'wrong.md:3',
    code: "import { verify } from 'authconform';\nawait verify({ profile: 'luxcore', runs: '5' });",
  },
  { where: 'wrong.md:9', code: "import { nothing } from 'authconform';" },
];

let docs: ExportDoc[];
let problems: string[];
/** The type errors of the snippets shown at places starting with `where`. */
const problemsOf = (where: string) => problems.filter((p) => p.startsWith(where));

// One program for the exports and every snippet: the sources are parsed and checked once.
beforeAll(() => {
  const program = entriesProgram();
  docs = exportDocs(program, entryFiles());
  const examples = docs.flatMap((d) => d.examples).filter((s) => s.code.trim() !== '');
  problems = typecheckSnippets(
    [...examples, ...markdownSnippets('docs/library.md'), ...WRONG],
    program,
  );
}, 60_000);

describe('the public API of authconform, authconform/vitest, authconform/msw, authconform/signer', () => {
  it('is what the package exports (the entries of tsconfig.json match package.json)', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    const exported = Object.keys(pkg.exports)
      .filter((k) => k !== './package.json')
      .map((k) => k.replace(/^\./, 'authconform'));
    expect([...entryFiles().keys()].sort()).toEqual(exported.sort());
  });

  it('has a doc comment on every exported function, class, constant and type', () => {
    expect(docs.length).toBeGreaterThan(20);
    expect(docs.filter((d) => !d.documented).map((d) => d.label)).toEqual([]);
  });

  it('gives every exported function and class exactly one @example in a ``` block', () => {
    const callable = docs.filter((d) => d.kind === 'function' || d.kind === 'class');
    expect(callable.length).toBeGreaterThan(10);
    const wrong = callable
      .filter((d) => d.examples.length !== 1 || d.examples[0]!.code.trim() === '')
      .map((d) => `${d.label}: ${d.examples.length} @example`);
    expect(wrong).toEqual([]);
  });

  it('has examples that type-check against the sources', () => {
    expect(problemsOf('src/')).toEqual([]);
    expect(problemsOf('mock-server/')).toEqual([]);
  });
});

describe('docs/library.md', () => {
  it('has code that type-checks against the sources', () => {
    expect(markdownSnippets('docs/library.md').length).toBeGreaterThan(3);
    expect(problemsOf('docs/library.md')).toEqual([]);
  });
});

describe('the snippet checker', () => {
  it('refuses a snippet that calls the API wrongly, naming where it is shown', () => {
    const wrong = problemsOf('wrong.md');
    expect(wrong).toHaveLength(2);
    expect(wrong[0]).toMatch(/^wrong\.md:3 \(\+1\): .*'string' is not assignable to type 'number'/);
    expect(wrong[1]).toMatch(/^wrong\.md:9 \(\+0\): .*has no exported member 'nothing'/);
  });
});
