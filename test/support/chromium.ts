// Headless Chromium for the browser tests without a system install: /usr/bin/chromium when it
// exists (.ci/run installs it), else the Chromium that @sparticuz/chromium ships inside its npm
// package, so `npm test` passes on a machine that has Node and npm only.
// AUTHCONFORM_NO_SYSTEM_TOOLS=1 ignores /usr/bin/chromium, to prove the npm route.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/**
 * Where the unpacked browser stays from run to run: the machine's temporary folder, not the
 * test run's own (test/support/run-temp-root.ts), which is removed at the end of each run.
 */
const MACHINE_TMPDIR = process.env.AUTHCONFORM_MACHINE_TMPDIR ?? tmpdir();
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

/** Launches headless Chromium: the system one when installed, else the one from npm. */
export async function launchChromium(): Promise<Browser> {
  if (process.env.AUTHCONFORM_NO_SYSTEM_TOOLS !== '1' && existsSync(SYSTEM_CHROMIUM))
    return chromium.launch({ executablePath: SYSTEM_CHROMIUM, args: ARGS });
  let executablePath: string;
  const runTmpdir = process.env.TMPDIR;
  try {
    // It unpacks to <tmpdir>/chromium, once per machine.
    process.env.TMPDIR = MACHINE_TMPDIR;
    executablePath = await sparticuz.executablePath();
  } catch (e) {
    throw new Error(
      `no Chromium: ${SYSTEM_CHROMIUM} is absent and @sparticuz/chromium did not unpack (${String(e)}); run \`npm ci\` or \`apt-get install -y chromium\``,
    );
  } finally {
    if (runTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = runTmpdir;
  }
  // The package's NSS and expat libraries, so the browser needs no system library but glibc.
  const libs = bundledLibraries();
  try {
    return await chromium.launch({
      executablePath,
      args: ARGS,
      env: {
        ...process.env,
        LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
        FONTCONFIG_PATH: process.env.FONTCONFIG_PATH ?? join(MACHINE_TMPDIR, 'fonts'),
      },
    });
  } catch (e) {
    throw new Error(
      `the Chromium from @sparticuz/chromium did not start here; install a system one: \`apt-get install -y chromium\` (${String(e).split('\n')[0]})`,
    );
  }
}

/** Unpacks bin/al2023.tar.br of @sparticuz/chromium (plain files only) and returns its lib dir. */
function bundledLibraries(): string {
  const out = join(MACHINE_TMPDIR, 'authconform-chromium-libs');
  const lib = join(out, 'lib');
  const done = join(out, '.unpacked'); // written last, so a half-unpacked folder is redone
  if (existsSync(done)) return lib;
  const main = createRequire(import.meta.url).resolve('@sparticuz/chromium');
  const tar = brotliDecompressSync(
    readFileSync(join(dirname(main), '..', '..', 'bin', 'al2023.tar.br')),
  );
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(header.toString('utf8', 124, 136).replace(/\0.*$/s, '').trim(), 8) || 0;
    if (header[156] === 0x30 || header[156] === 0) {
      // A regular file: write it beside its siblings (the archive holds lib/<name> only).
      const file = join(out, name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, tar.subarray(at + 512, at + 512 + size), { mode: 0o755 });
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  writeFileSync(done, '');
  return lib;
}
