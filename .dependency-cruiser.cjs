/**
 * The import rules of src/ and mock-server/ (`npm run depcheck`, a step of .ci/run). Each rule is
 * one that holds today and that the layout depends on (docs: ARCHITECTURE.md, Layout): layers
 * import downward (model, secrets, sign, request, verdict; then generate, scenario, spec, check,
 * targets; then engine; then report; then api and cli), and the mock's core knows nothing of the
 * harness. A type-only import counts: a cycle of types is still two modules that cannot be read
 * one without the other.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A module cycle: move what both need into a module of its own (see engine-context.ts).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'engine-only-above-it',
      severity: 'error',
      comment:
        'Only the run (api/, cli/) drives the engine: generators, scenarios, specs, checks, targets, ' +
        'verdicts and reports are below it and must not import it (ask model/ or request/ instead).',
      from: { path: '^src/(?!engine/|api/|cli/)' },
      to: { path: '^src/engine/' },
    },
    {
      name: 'foundations-import-no-layer-above',
      severity: 'error',
      comment:
        'model/, secrets/ and verdict/ are the vocabulary every layer shares: they import only ' +
        'one another (verdict/ and secrets/ read model/ types).',
      from: { path: '^src/(model|secrets|verdict)/' },
      to: { path: '^src/(?!model/|secrets/|verdict/)' },
    },
    {
      name: 'report-not-run',
      severity: 'error',
      comment: 'Reporters render a run record; they do not run anything (no api/ or cli/).',
      from: { path: '^src/report/' },
      to: { path: '^src/(api|cli)/' },
    },
    {
      name: 'mock-core-not-harness',
      severity: 'error',
      comment:
        'The harness never asks the mock what is right, and the mock never uses the harness ' +
        '(ARCHITECTURE.md principles 2 and 7): mock-server/ reads only the profile model, ' +
        'the request and signing code both sides share, and the spec loaders.',
      from: { path: '^mock-server/' },
      to: { path: '^src/(?!model/|request/|sign/|spec/|secrets/)' },
    },
    {
      name: 'mock-core-no-adapter',
      severity: 'error',
      comment: 'The auth core is pure: the Hapi and msw adapters import it, never the reverse.',
      from: { path: '^mock-server/(core|state)/' },
      to: { path: '^mock-server/(hapi|msw)/' },
    },
    {
      name: 'src-not-tests',
      severity: 'error',
      comment: 'Shipped code never imports the tests, suites, benchmarks or examples.',
      from: { path: '^(src|mock-server)/' },
      to: { path: '^(test|suites|bench|examples)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
