/**
 * Writes a file that holds secrets (credentials, a seeded world) readable by its owner only, or
 * to stdout for `--out -`; a file that cannot be written is a usage error naming it.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { UsageError } from './usage-error.ts';

export function writeSecretFile(path: string, text: string, out: NodeJS.WritableStream): void {
  if (path === '-') {
    out.write(text);
    return;
  }
  try {
    writeFileSync(path, text, { mode: 0o600 });
    // The mode above applies only to a new file: an existing one keeps its own unless set.
    chmodSync(path, 0o600);
  } catch (err) {
    throw new UsageError(
      `cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  out.write(`wrote ${path}\n`);
}
