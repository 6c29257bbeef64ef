/**
 * A second `init` merges the document into the profile the user edited: an entry the user wrote
 * stays as written, whatever the document would generate for it.
 */
import { Document } from 'yaml';
import { describe, expect, it } from 'vitest';
import { mergeProfileText } from '../../src/openapi/profile-document.ts';

describe('mergeProfileText', () => {
  it("adds no generated field to the user's own credential (a bearer answered as a JWT)", () => {
    const mine = [
      'credentials:',
      '  bearerAuth: {kind: jwt, in: bearer, token: user}',
      'tokens:',
      '  user: {kind: jwt, algorithms: [RS256]}',
      '',
    ].join('\n');
    const generated = new Document({
      credentials: {
        bearerAuth: { kind: 'api_key', in: 'bearer', formats: ['key'] },
        queryKey: { kind: 'api_key', in: 'query', name: 'k', formats: ['key'] },
      },
      keyFormats: { key: { prefix: 'k_', pattern: 'k_[a-z]+', type: 'secret' } },
      tokens: { user: { kind: 'jwt', algorithms: ['HS256'], leewaySeconds: 30 } },
    });
    const merged = mergeProfileText(mine, generated);
    expect(merged).toContain('bearerAuth: {kind: jwt, in: bearer, token: user}\n');
    expect(merged).toContain('user: {kind: jwt, algorithms: [RS256]}\n');
    // A scheme the document gained comes with the key format it names.
    expect(merged).toMatch(/queryKey:[\s\S]*keyFormats:\n {2}key:/);
  });
});
