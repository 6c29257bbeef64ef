// The conformance suites as vitest tests: one test per profile x scenario, against the bundled
// mock (or the URL in AUTHCONFORM_TARGET with AUTHCONFORM_CREDENTIALS). They are a user of
// authconform/vitest, so `npm run conform` and `authconform run` give the same verdicts.
// A SKIP fails here (a role missing is a gap in what the suites prove), as with --fail-on skip.
import { conformanceSuite } from 'authconform/vitest';

const env = process.env;
const url = env.AUTHCONFORM_TARGET;
const profiles = (env.AUTHCONFORM_PROFILE ?? (url ? '' : 'all')).split(',').filter(Boolean);
if (url && (!env.AUTHCONFORM_CREDENTIALS || profiles.length !== 1)) {
  throw new Error(
    'a URL target needs AUTHCONFORM_PROFILE=<one profile> and AUTHCONFORM_CREDENTIALS=<file>',
  );
}

conformanceSuite({
  profile: profiles,
  target: url ?? 'mock',
  ...(url ? { credentials: env.AUTHCONFORM_CREDENTIALS! } : {}),
  ...(env.AUTHCONFORM_RUNS ? { runs: Number(env.AUTHCONFORM_RUNS) } : {}),
  seed: Number(env.AUTHCONFORM_SEED ?? 20261123),
  failOn: 'skip',
  describeName: ({ profile }) => `${profile.id} against ${url ?? 'the bundled mock'}`,
});
