/**
 * `run --state-url URL [--state-token-env NAME]`: a URL target's provider-state hooks
 * (docs/state-protocol.md). The bearer token is read from an environment variable, never from
 * the command line (where `ps` and shell history would keep it), and never printed.
 */
import type { Credentials } from '../model/credentials.ts';
import type { Profile } from '../model/profile.ts';
import { missingRoleFor } from '../scenario/capabilities.ts';
import type { Scenario } from '../scenario/scenario-model.ts';
import { validateCredentialsSource } from '../spec/load-credentials.ts';
import { parseYamlSource } from '../spec/yaml-source.ts';
import { StateTokenRefusedError, withStateHooks, type StateHooks } from '../targets/state-hooks.ts';
import type { Target } from '../targets/target.ts';
import { VerifyOptionError } from './verify-error.ts';

export const DEFAULT_STATE_TOKEN_ENV = 'AUTHCONFORM_STATE_TOKEN';

/**
 * The state hooks' URL and token the flags name, or undefined without --state-url; a flag misused
 * is a VerifyOptionError. The token is read from the environment variable the flags name.
 */
export function stateHooksFromFlags(
  flags: { stateUrl?: string; stateTokenEnv?: string; isMock: boolean },
  env: NodeJS.ProcessEnv,
): { url: string; token: string; tokenSource: string } | undefined {
  const { stateUrl } = flags;
  if (stateUrl === undefined) {
    if (flags.stateTokenEnv !== undefined)
      throw new VerifyOptionError(
        '--state-token-env names the token of --state-url, which is not given',
      );
    return undefined;
  }
  if (flags.isMock)
    throw new VerifyOptionError(
      '--state-url is for a URL target; the bundled mock (--target mock|msw) is reset and clock-moved in-process',
    );
  if (!/^https?:\/\//.test(stateUrl) || !URL.canParse(stateUrl))
    throw new VerifyOptionError(`--state-url must be an http(s) URL, got "${stateUrl}"`);
  const name = flags.stateTokenEnv ?? DEFAULT_STATE_TOKEN_ENV;
  const token = env[name];
  if (token === undefined || token === '')
    throw new VerifyOptionError(
      `--state-url needs a bearer token in the environment variable ${name}, which is ${token === undefined ? 'not set' : 'empty'} (name another variable with --state-token-env NAME)`,
    );
  return { url: stateUrl, token, tokenSource: `--state-token-env ${name}` };
}

/**
 * The run's target reset and clock-moved through the hooks, and its credentials completed with
 * the roles the scenarios need that the file lacks, where the hooks can ensure them (a 404 leaves
 * the role missing: those scenarios SKIP, saying so). A refused token ends the run before it
 * starts (exit 2), naming the flag.
 */
export async function attachStateHooks<T extends Target>(
  run: { profile: Profile; creds: Credentials; target: T },
  hooks: StateHooks,
  scenarios: readonly Scenario[],
): Promise<{ creds: Credentials; target: T }> {
  try {
    await hooks.check();
    const creds = await ensureRoles(run.profile, run.creds, hooks, scenarios);
    return { creds, target: withStateHooks(run.target, hooks) };
  } catch (e) {
    if (e instanceof StateTokenRefusedError) throw new VerifyOptionError(e.message);
    throw e;
  }
}

async function ensureRoles(
  profile: Profile,
  creds: Credentials,
  hooks: StateHooks,
  scenarios: readonly Scenario[],
): Promise<Credentials> {
  const roles = new Set<string>();
  for (const s of scenarios)
    for (const cap of s.requires) {
      const missing = missingRoleFor(cap, creds);
      // "keys.wildcard (a key holding a resource:* scope)": the role is the path before the note.
      if (missing) roles.add(missing.split(' ')[0]!);
    }
  if (roles.size === 0) return creds;
  const merged = structuredClone(creds) as unknown as Record<string, unknown>;
  let added = false;
  for (const role of roles) {
    const value = await hooks.ensure(role);
    if (value === undefined) continue;
    const path = role.split('.');
    let at = merged;
    for (const seg of path.slice(0, -1)) {
      at[seg] ??= {};
      at = at[seg] as Record<string, unknown>;
    }
    at[path.at(-1)!] = value;
    added = true;
  }
  if (!added) return creds;
  // Checked as a credentials file is: a key that matches no format of the profile is refused.
  return validateCredentialsSource(
    parseYamlSource(
      JSON.stringify(merged, null, 1),
      `credentials completed by ${hooks.url}/ensure`,
    ),
    profile,
  );
}
