/**
 * The questions `authconform init` leaves in a profile it wrote (`# TODO(authconform): ...`):
 * each one still in the file is a warning of `validate`, at its line, until it is answered and
 * its comment deleted.
 */
import type { SpecProblem } from './spec-error.ts';

const TODO = /#\s*TODO\(authconform\):\s*(.*)$/;

export function unansweredTodos(file: string, text: string): SpecProblem[] {
  return text.split('\n').flatMap((line, i) => {
    const m = TODO.exec(line);
    return m
      ? [{ file, line: i + 1, column: m.index + 1, message: `unanswered: ${m[1]!.trim()}` }]
      : [];
  });
}
