// Two copies of one API's profile in one process (two verify() calls, or a team's vitest run
// whose files share a worker): each copy's schemas/ folder names the same schema ids. The folder
// named last is the one its run reads, as in a process of its own; it used to be refused with
// "schema id ... is already taken".
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verify } from 'authconform';

const EXAMPLE = join(import.meta.dirname, '../../examples/jwt-api');

function copyOfExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'authconform-copy-'));
  for (const f of ['profile.yaml', 'schemas'])
    cpSync(join(EXAMPLE, f), join(dir, f), { recursive: true });
  return join(dir, 'profile.yaml');
}

describe('two copies of a profile in one process', () => {
  it('each runs green against the mock, the later copy reading its own schemas', async () => {
    const first = copyOfExample();
    const second = copyOfExample();
    for (const profile of [first, second]) {
      const record = await verify({ profile, scenarios: ['jwt-missing'], runs: 2, seed: 1 });
      expect(record.overall.verdict).toBe('PASS');
    }
  });

  it('a profile loaded after an earlier one was deleted runs: the gone folder is not read', async () => {
    const gone = copyOfExample();
    await verify({ profile: gone, scenarios: ['jwt-missing'], runs: 1, seed: 1 });
    rmSync(join(gone, '..'), { recursive: true, force: true });
    // Another API (its schemas use other ids), loaded later in the same process.
    const other = join(import.meta.dirname, '../../examples/sigv4-api/profile.yaml');
    const record = await verify({ profile: other, scenarios: ['missing-key'], runs: 1, seed: 1 });
    expect(record.overall.verdict).toBe('PASS');
  });

  it("reads a profile's schemas folder again once a file in it changed", async () => {
    const profile = copyOfExample();
    const ok = await verify({ profile, scenarios: ['jwt-missing'], runs: 1, seed: 1 });
    expect(ok.overall.verdict).toBe('PASS');
    writeFileSync(join(profile, '../schemas/larkspur.json'), '{ "$id": 42 }');
    await expect(verify({ profile, runs: 1, seed: 1 })).rejects.toThrow(/larkspur\.json/);
  });

  it("another profile's folder broken after it was read does not stop a later profile", async () => {
    const broken = copyOfExample();
    await verify({ profile: broken, scenarios: ['jwt-missing'], runs: 1, seed: 1 });
    writeFileSync(join(broken, '../schemas/larkspur.json'), '{ "$id": 42 }');
    await expect(verify({ profile: broken, runs: 1, seed: 1 })).rejects.toThrow(/larkspur\.json/);
    const other = join(import.meta.dirname, '../../examples/sigv4-api/profile.yaml');
    const record = await verify({ profile: other, scenarios: ['missing-key'], runs: 1, seed: 1 });
    expect(record.overall.verdict).toBe('PASS');
  });

  it('a copy whose schema is broken is still refused, naming its file', async () => {
    const broken = copyOfExample();
    writeFileSync(join(broken, '../schemas/larkspur.json'), '{ "$id": 42 }');
    await expect(verify({ profile: broken, runs: 1, seed: 1 })).rejects.toThrow(/larkspur\.json/);
  });
});
