/**
 * One problem found in a spec file, with where it is. Every error a user can cause in a YAML
 * file ends up as one of these, printed `file:line:column: message`.
 */
export interface SpecProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export function formatProblem(p: SpecProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}

/**
 * Thrown by a loader (and by `verify()`) when a profile, credentials, fixtures, scenario or waivers
 * file has problems; carries all of them, not just the first. Its message is one
 * `file:line:column: message` line per problem.
 *
 * @example
 * ```ts
 * import { SpecError, verify } from 'authconform';
 *
 * try {
 *   await verify({ profile: 'authconform/profile.yaml', target: 'mock' });
 * } catch (e) {
 *   if (!(e instanceof SpecError)) throw e;
 *   for (const p of e.problems) console.error(`${p.file}:${p.line}:${p.column}: ${p.message}`);
 * }
 * ```
 */
export class SpecError extends Error {
  readonly problems: SpecProblem[];
  constructor(problems: SpecProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SpecError';
    this.problems = problems;
  }
}
