/**
 * authconform as a library: `import { verify } from 'authconform'`. One run is one `verify()`
 * call (the CLI is its caller too); the reporters render the record it returns. The vitest
 * integration is `authconform/vitest`, the msw handlers `authconform/msw`, the signer types
 * `authconform/signer`.
 */
export {
  DEFAULT_RUNS,
  planVerify,
  reportsWritten,
  scenariosOfRun,
  verify,
  type ReportOptions,
  type RunPlan,
  type RunStart,
  type VerifyOptions,
  type VerifyTarget,
} from './api/verify.ts';
export { VerifyOptionError } from './api/verify-error.ts';
export { writeRunReports } from './api/write-run-reports.ts';
export { junitReport } from './report/junit-report.ts';
export { jsonReport } from './report/json-report.ts';
export { markdownReport } from './report/markdown-report.ts';
export { htmlReport } from './report/html-report.ts';
export type { RecordedVerdict, RunRecord, RunTotals, FailOn } from './report/run-record.ts';
export type { Verdict, VerdictStatus } from './verdict/verdict.ts';
export { resolveProfile, builtInProfileIds, UnknownProfileError } from './spec/builtin-specs.ts';
export type { Scenario } from './scenario/scenario-model.ts';
export { loadProfile, type LoadedProfile } from './spec/load-profile.ts';
export {
  resolveReferences,
  type ResolvedCredential,
  type ResolvedProfile,
  type ResolvedRoute,
} from './model/resolved-profile.ts';
export { loadCredentials } from './spec/load-credentials.ts';
export { SpecError, type SpecProblem } from './spec/spec-error.ts';
export { httpTarget, type HttpTargetOptions } from './targets/http-target.ts';
export { appTarget, type InProcessApp } from './targets/app-target.ts';
export { nodeListenerTarget, type NodeListener } from './targets/node-listener-target.ts';
export {
  fetchHandlerTarget,
  type FetchApp,
  type FetchHandler,
} from './targets/fetch-handler-target.ts';
export { fastifyTarget, type InjectableApp } from './targets/fastify-inject-target.ts';
export type { InProcessOptions } from './targets/in-process-target.ts';
export type { Target } from './targets/target.ts';
export type { OutgoingRequest, ReceivedResponse } from './request/outgoing-request.ts';
export type { Profile } from './model/profile.ts';
export type { Credentials } from './model/credentials.ts';
