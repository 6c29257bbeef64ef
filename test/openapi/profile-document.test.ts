/**
 * A second `init` merges the document into the profile the user edited: an entry the user wrote
 * stays as written, whatever the document would generate for it.
 */
import { Document, parse, type YAMLSeq } from 'yaml';
import { describe, expect, it } from 'vitest';
import { mergeProfileText, offeredBy } from '../../src/openapi/profile-document.ts';

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
    const merged = mergeProfileText(mine, generated).text;
    expect(merged).toContain('bearerAuth: {kind: jwt, in: bearer, token: user}\n');
    expect(merged).toContain('user: {kind: jwt, algorithms: [RS256]}\n');
    // A scheme the document gained comes with the key format it names.
    expect(merged).toMatch(/queryKey:[\s\S]*keyFormats:\n {2}key:/);
  });

  it('adds back no section, entry or route of what the earlier run generated (offeredBy)', () => {
    const first = new Document({
      credentials: {
        headerKey: { kind: 'api_key', in: 'header', name: 'X-Key', formats: ['key'] },
        queryKey: { kind: 'api_key', in: 'query', name: 'k', formats: ['key'] },
      },
      keyFormats: { key: { prefix: 'k_', pattern: 'k_[a-z]+', type: 'secret' } },
      routes: [
        { id: 'a', method: 'GET', path: '/a', auth: ['headerKey', 'queryKey'] },
        { id: 'b', method: 'GET', path: '/b', auth: ['headerKey', 'queryKey'] },
      ],
      denials: { not_found: 'notFound' },
    });
    const before = offeredBy(first);
    expect(before).toMatchObject({ credentials: ['headerKey', 'queryKey'], routes: ['a', 'b'] });
    // The user kept the header key and route a, and deleted the denials altogether.
    const mine = [
      'credentials:',
      '  headerKey: {kind: api_key, in: header, name: X-Key, formats: [key]}',
      'keyFormats:',
      '  key: {prefix: k_, pattern: "k_[a-z]+", type: secret}',
      'routes:',
      '  - {id: a, method: GET, path: /a, auth: [headerKey]}',
      '',
    ].join('\n');
    // The document since: two operations more (a merge takes the generated nodes it adds).
    const now = () => {
      const doc = first.clone();
      const routes = doc.get('routes') as YAMLSeq;
      routes.add(
        doc.createNode({ id: 'c', method: 'GET', path: '/c', auth: ['headerKey', 'queryKey'] }),
      );
      routes.add(doc.createNode({ id: 'd', method: 'GET', path: '/d', auth: ['queryKey'] }));
      return doc;
    };
    const { text, notes } = mergeProfileText(mine, now(), before);
    expect(text).not.toMatch(/queryKey: |id: b\b|denials/);
    // What the document gained: c on the credential kept; d had only the one deleted, so is left out.
    const routes = (parse(text) as { routes: { id: string; auth: string[] }[] }).routes;
    expect(routes.map((r) => [r.id, r.auth])).toEqual([
      ['a', ['headerKey']],
      ['c', ['headerKey']],
    ]);
    expect(notes).toEqual([
      'operation d was left out: it takes only credentials the profile no longer has',
    ]);
    // Without the earlier run's record, every entry the profile lacks is taken as new.
    const old = parse(mergeProfileText(mine, now()).text) as {
      credentials: object;
      routes: { id: string }[];
    };
    expect(Object.keys(old.credentials)).toEqual(['headerKey', 'queryKey']);
    expect(old.routes.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});
