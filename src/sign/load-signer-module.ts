/**
 * A user's signer module (`signing: { x: { scheme: module, module: ./my-signer.ts } }`), loaded
 * when its profile is loaded. TypeScript or JavaScript, ESM or CommonJS: the module and what it
 * imports relatively are bundled by esbuild into one CommonJS script (its npm imports stay
 * imports, resolved from the module's own folder), so a user installing authconform from npm
 * needs neither tsx nor a build step, and profile loading stays synchronous.
 */
import { buildSync } from 'esbuild';
import { existsSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { Signer } from './signer.ts';

const loaded = new Map<string, Signer<never>>();

export class SignerModuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignerModuleError';
  }
}

/** The signer a module exports (default export, or `signer`), checked for the interface. */
export function loadSignerModule(profileFile: string, modulePath: string): Signer<never> {
  const file = resolve(dirname(profileFile), modulePath);
  const known = loaded.get(file);
  if (known) return known;
  if (!existsSync(file)) throw new SignerModuleError(`no signer module at ${file}`);
  let code: string;
  try {
    const out = buildSync({
      entryPoints: [file],
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      sourcemap: 'inline',
    });
    code = out.outputFiles[0]!.text;
  } catch (e) {
    const first = (
      e as { errors?: { text: string; location?: { line: number; column: number } }[] }
    ).errors?.[0];
    const at = first?.location ? `:${first.location.line}:${first.location.column + 1}` : '';
    throw new SignerModuleError(
      `signer module ${file}${at} does not compile: ${first?.text ?? (e as Error).message}`,
    );
  }
  const m = new Module(file) as Module & { _compile(code: string, file: string): void };
  m.filename = file;
  m.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    dirname(file),
  );
  (m as unknown as { require: NodeRequire }).require = createRequire(file);
  try {
    m._compile(code, file);
  } catch (e) {
    throw new SignerModuleError(`signer module ${file} failed to load: ${(e as Error).message}`);
  }
  const exports = m.exports as { default?: unknown; signer?: unknown };
  const signer = (exports.default ?? exports.signer) as Partial<Signer<never>> | undefined;
  const missing = ['parts', 'sign', 'verify', 'signatureSlot'].filter(
    (f) => typeof (signer as Record<string, unknown> | undefined)?.[f] !== 'function',
  );
  if (signer === undefined || missing.length > 0)
    throw new SignerModuleError(
      `signer module ${file} must export a Signer (default export or \`signer\`) with parts, sign, verify and signatureSlot; ${signer === undefined ? 'it exports none' : `missing: ${missing.join(', ')}`}`,
    );
  loaded.set(file, signer as Signer<never>);
  return signer as Signer<never>;
}
