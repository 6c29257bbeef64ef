// Renamed scenario ids and families (the signing scenarios once named after HMAC) still mean
// the same requirement in a waivers file, a baseline report and a --scenario term.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { RENAMED, currentName } from '../../src/scenario/renamed-scenarios.ts';
import { loadWaivers } from '../../src/report/waivers.ts';

const scenarios = loadScenarios();
const names = new Set([...scenarios.map((s) => s.id), ...scenarios.map((s) => s.family)]);

describe('renamed scenarios', () => {
  it('map every old name to a current id or family, and no old name is still in use', () => {
    for (const [old, now] of Object.entries(RENAMED)) {
      expect(names.has(now), `${old} -> ${now}`).toBe(true);
      expect(names.has(old), old).toBe(false);
    }
    expect(currentName('hmac-signature-truncated')).toBe('signature-truncated');
    expect(currentName('missing-key')).toBe('missing-key');
  });

  it('let a waivers file written with an old id waive the renamed scenario', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authconform-renamed-'));
    const file = join(dir, 'waivers.yaml');
    writeFileSync(
      file,
      [
        '- profile: luxcore',
        '  scenario: hmac-body-tampered',
        '  reason: the gateway re-serializes bodies until release 4.2',
        '  issue: https://tracker.example/ENG-1',
        '  expires: 2099-01-01',
        '',
      ].join('\n'),
    );
    const waivers = loadWaivers(file, {
      profiles: ['luxcore'],
      scenarios: scenarios.map((s) => s.id),
    });
    expect(waivers.map((w) => w.scenario)).toEqual(['signature-body-tampered']);
  });
});
