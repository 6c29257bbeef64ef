// Issue 13 item 6: `authconform <command> --help` for each command, and `--version`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './run-main.ts';

const COMMANDS = ['run', 'validate', 'list', 'credentials', 'mock'];
const { version } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'),
) as { version: string };

describe('authconform <command> --help', () => {
  for (const command of COMMANDS) {
    it(`${command} --help and -h print its usage, every flag with a meaning, an example; exit 0`, async () => {
      for (const flag of ['--help', '-h']) {
        const r = await runMain(command, flag);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toBe('');
        expect(r.stdout).toMatch(new RegExp(`^Usage: authconform ${command}\\b`));
        expect(r.stdout).toMatch(/^Example:\n {2}npx authconform /m);
        const options = r.stdout.split('Options:\n')[1]!.split('\n\n')[0]!.split('\n');
        expect(options.at(-1)).toMatch(/^ {2}-h, --help +this text$/);
        // A flag with no meaning beside it is one nobody described: the help would hide it.
        for (const line of options) expect(line, line).toMatch(/^ {2}\S.*\S {2,}\S/);
      }
    });
  }

  it('run --help gives each default as the command applies it', async () => {
    const r = await runMain('run', '--help');
    expect(r.stdout).toMatch(/^ {2}--runs N +cases per property \(default: 25\)$/m);
    expect(r.stdout).toMatch(/^ {2}--target mock\|msw\|URL +.*\(default: mock\)$/m);
    expect(r.stdout).toMatch(/^ {2}--fail-on must\|should\S* +.*\(default: must\)$/m);
    expect(r.stdout).toMatch(/^ {2}--exclude IDS +.*\(repeatable\)$/m);
    expect(r.stdout).toMatch(/^ {2}--dry-run +print what would run/m);
  });

  it('--help wins over the rest of the line: no run starts, no error for a missing --profile', async () => {
    const r = await runMain('run', '--target', 'http://127.0.0.1:9', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: authconform run/);
  });

  it('help <command> is <command> --help; --help alone lists the commands', async () => {
    expect((await runMain('help', 'mock')).stdout).toBe((await runMain('mock', '--help')).stdout);
    const top = await runMain('--help');
    expect(top.code).toBe(0);
    for (const command of COMMANDS) expect(top.stdout).toContain(`authconform ${command}`);
    expect(top.stdout).toContain('authconform <command> --help');
    expect(top.stdout).toContain('authconform --version');
  });
});

describe('authconform --version', () => {
  it('prints the version package.json declares, and exits 0 (also -v)', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await runMain(flag);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });
});
