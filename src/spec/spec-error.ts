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

/** Thrown by a loader when a file has problems; carries all of them, not just the first. */
export class SpecError extends Error {
  readonly problems: SpecProblem[];
  constructor(problems: SpecProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'SpecError';
    this.problems = problems;
  }
}
