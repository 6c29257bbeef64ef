// Issue 13 item 4: each row cites the sentence its requirement comes from. A built-in profile's
// cite quotes its guide: every passage of it appears word for word in the guide's text, kept in
// the repository (not the package) under test/fixtures/guides/<id>.txt, whose SHA-256 is the one
// the profile's `source.sha256` names.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { citedPassages, quotesGuide } from '../support/cited-passages.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { builtInProfileIds, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { sourceOf } from '../../src/spec/profile-source.ts';

const GUIDES = join(import.meta.dirname, '../fixtures/guides');
const guides = new Map(
  builtInProfileIds().map((id) => [id, readFileSync(join(GUIDES, `${id}.txt`), 'utf8')]),
);

describe("the built-in profiles' cites", () => {
  it("name their guide's text by SHA-256, and it is the text the quotes are checked against", () => {
    for (const id of builtInProfileIds()) {
      const sha = createHash('sha256').update(guides.get(id)!, 'utf8').digest('hex');
      expect(sourceOf(resolveProfile(id).profile.source).sha256, id).toBe(sha);
    }
  });

  it('quote their guide word for word (passages joined by " ... " or "; ")', () => {
    const wrong: string[] = [];
    for (const s of loadScenarios())
      for (const [id, cite] of Object.entries(s.cites)) {
        const guide = guides.get(id);
        if (guide === undefined) continue; // `default`: the requirement in authconform's words
        for (const passage of citedPassages(cite))
          if (!quotesGuide(guide, passage)) wrong.push(`${s.id} [${id}]: ${passage}`);
      }
    expect(wrong).toEqual([]);
  });

  it('the key-lifecycle row quotes what the guide says of the lifecycle, not of revocation alone', () => {
    const lifecycle = loadScenarios().find((s) => s.id === 'key-lifecycle-model')!;
    const revoked = loadScenarios().find((s) => s.id === 'revoked-key-refused')!;
    for (const id of ['auxvault', 'vaulera', 'gateway'])
      expect(lifecycle.cites[id], id).not.toBe(revoked.cites[id]);
    expect(lifecycle.cites.vaulera).toContain('will not show the API Key again');
  });

  it('a passage is checked as a reader would: quotes, spacing and a decision note aside', () => {
    expect(citedPassages('"A b" ... c d; e (decision: f)')).toEqual(['A b', 'c d', 'e']);
    expect(quotesGuide('x  A\n b’s y', "A b's")).toBe(true);
    expect(quotesGuide('x A b y', 'A c')).toBe(false);
  });
});
