/** `authconform ...` in-process: main() with its stdout and stderr captured as text. */
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(w, { text: () => chunks.join('') });
}

export async function runMain(...argv: string[]): Promise<CliResult> {
  const out = sink();
  const err = sink();
  const code = await main(argv, out, err);
  return { code, stdout: out.text(), stderr: err.text() };
}
