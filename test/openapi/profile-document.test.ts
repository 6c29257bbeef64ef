/**
 * A second `init` merges the document into the profile the user edited: an entry the user wrote
 * stays as written, whatever the document would generate for it.
 */
import { Document, parse, type YAMLMap, type YAMLSeq } from 'yaml';
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
      'operation d was left out: it takes only credentials the profile no longer has (queryKey)',
    ]);
    // Without the earlier run's record, every entry the profile lacks is taken as new.
    const old = parse(mergeProfileText(mine, now()).text) as {
      credentials: object;
      routes: { id: string }[];
    };
    expect(Object.keys(old.credentials)).toEqual(['headerKey', 'queryKey']);
    expect(old.routes.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a route the document gained names the credential the user renamed (the one that travels where it did)', () => {
    const first = new Document({
      credentials: { apiKey: { kind: 'api_key', in: 'header', name: 'X-Key', formats: ['key'] } },
      keyFormats: { key: { prefix: 'k_', pattern: 'k_[a-z]+', type: 'secret' } },
      routes: [{ id: 'a', method: 'GET', path: '/a', auth: ['apiKey'] }],
    });
    const mine = [
      'credentials:',
      '  headerKey: {kind: api_key, in: header, name: x-key, formats: [key]}',
      'keyFormats:',
      '  key: {prefix: k_, pattern: "k_[a-z]+", type: secret}',
      'routes:',
      '  - {id: a, method: GET, path: /a, auth: [headerKey]}',
      '',
    ].join('\n');
    const now = first.clone();
    (now.get('routes') as YAMLSeq).add(
      now.createNode({ id: 'c', method: 'GET', path: '/c', auth: ['apiKey'] }),
    );
    const { text, notes } = mergeProfileText(mine, now, offeredBy(first));
    expect(notes).toEqual([]);
    expect(text).not.toMatch(/apiKey/);
    const routes = (parse(text) as { routes: { id: string; auth: unknown }[] }).routes;
    expect(routes.map((r) => [r.id, r.auth])).toEqual([
      ['a', ['headerKey']],
      ['c', ['headerKey']],
    ]);
  });

  it('drops an alternative that sends a deleted credential together with another, and the route where none is left', () => {
    const first = new Document({
      credentials: {
        headerKey: { kind: 'api_key', in: 'header', name: 'X-Key' },
        tenantKey: { kind: 'api_key', in: 'header', name: 'X-Tenant-Key' },
      },
      routes: [{ id: 'a', method: 'GET', path: '/a', auth: [['headerKey', 'tenantKey']] }],
    });
    // The user tests the header key alone.
    const mine = [
      'credentials:',
      '  headerKey: {kind: api_key, in: header, name: X-Key}',
      'routes:',
      '  - {id: a, method: GET, path: /a, auth: [headerKey]}',
      '',
    ].join('\n');
    const now = first.clone();
    const routes = now.get('routes') as YAMLSeq;
    routes.add(
      now.createNode({ id: 'p', method: 'GET', path: '/p', auth: [['headerKey', 'tenantKey']] }),
    );
    routes.add(
      now.createNode({
        id: 'q',
        method: 'GET',
        path: '/q',
        auth: [['headerKey', 'tenantKey'], 'headerKey'],
      }),
    );
    const { text, notes } = mergeProfileText(mine, now, offeredBy(first));
    expect(text).not.toMatch(/tenantKey/);
    expect((parse(text) as { routes: { id: string; auth: unknown }[] }).routes).toMatchObject([
      { id: 'a', auth: ['headerKey'] },
      { id: 'q', auth: ['headerKey'] },
    ]);
    expect(notes).toEqual([
      'operation p was left out: it takes only credentials the profile no longer has (tenantKey)',
    ]);
  });

  it('brings what an entry the document gained names, whatever the record says: its key format, token and scope', () => {
    const first = new Document({
      credentials: {
        apiKey: { kind: 'api_key', in: 'header', name: 'X-Key', formats: ['key'] },
        oauth: { kind: 'jwt', in: 'bearer', token: 'access' },
      },
      keyFormats: { key: { prefix: 'k_', pattern: 'k_[a-z]+', type: 'secret' } },
      scopes: { vocabulary: ['read', 'admin'] },
      tokens: { access: { kind: 'jwt', algorithms: ['HS256'] } },
      routes: [
        { id: 'a', method: 'GET', path: '/a', auth: ['apiKey'] },
        { id: 'r', method: 'GET', path: '/r', auth: ['oauth'], scope: 'read' },
        { id: 'z', method: 'GET', path: '/z', auth: ['oauth'], scope: 'admin' },
      ],
    });
    // The answers: keys are live_ keys, tokens are the users', and the admin route is not tested.
    const mine = [
      'credentials:',
      '  apiKey: {kind: api_key, in: header, name: X-Key, formats: [live]}',
      '  oauth: {kind: jwt, in: bearer, token: user}',
      'keyFormats:',
      '  live: {prefix: live_, pattern: "live_[a-z]+", type: secret}',
      'scopes: {vocabulary: [read]}',
      'tokens:',
      '  user: {kind: jwt, algorithms: [RS256]}',
      'routes:',
      '  - {id: a, method: GET, path: /a, auth: [apiKey]}',
      '  - {id: r, method: GET, path: /r, auth: [oauth], scope: read}',
      '',
    ].join('\n');
    // The document since: a key in the query, a second JWT scheme, a new admin operation.
    const now = first.clone();
    const credentials = now.get('credentials') as YAMLMap;
    credentials.add(
      now.createPair('queryKey', { kind: 'api_key', in: 'query', name: 'k', formats: ['key'] }),
    );
    credentials.add(now.createPair('jwt2', { kind: 'jwt', in: 'bearer', token: 'access' }));
    const routes = now.get('routes') as YAMLSeq;
    routes.add(now.createNode({ id: 'q', method: 'GET', path: '/q', auth: ['queryKey'] }));
    routes.add(now.createNode({ id: 'j', method: 'GET', path: '/j', auth: ['jwt2'] }));
    routes.add(
      now.createNode({
        id: 'audit',
        method: 'GET',
        path: '/audit',
        auth: ['oauth'],
        scope: 'admin',
      }),
    );
    const merged = parse(mergeProfileText(mine, now, offeredBy(first)).text) as {
      keyFormats: object;
      tokens: object;
      scopes: { vocabulary: string[] };
      routes: { id: string }[];
    };
    expect(merged.routes.map((r) => r.id)).toEqual(['a', 'r', 'q', 'j', 'audit']);
    expect(Object.keys(merged.keyFormats)).toEqual(['live', 'key']);
    expect(Object.keys(merged.tokens)).toEqual(['user', 'access']);
    expect(merged.scopes.vocabulary).toEqual(['read', 'admin']);
    // Nothing gained names them: the answers stand as the user wrote them.
    const same = parse(mergeProfileText(mine, first.clone(), offeredBy(first)).text) as object;
    expect(same).toEqual(parse(mine));
  });

  it('brings the error a reason needs that an operation the document gained makes the profile give', () => {
    const first = new Document({
      credentials: { apiKey: { kind: 'api_key', in: 'header', name: 'X-Key' } },
      routes: [
        { id: 'list', method: 'GET', path: '/books', auth: ['apiKey'] },
        { id: 'get', method: 'GET', path: '/books/{id}', auth: ['apiKey'], params: { id: 'id' } },
      ],
      errors: {
        badRequest: { status: 400 },
        unauthorized: { status: 401 },
        notFound: { status: 404 },
      },
      denials: {},
    });
    // The user tests no record: the operation that names one and its 404 are deleted.
    const mine = [
      'credentials:',
      '  apiKey: {kind: api_key, in: header, name: X-Key}',
      'routes:',
      '  - {id: list, method: GET, path: /books, auth: [apiKey]}',
      'errors:',
      '  badRequest: {status: 400}',
      '  unauthorized: {status: 401}',
      'denials: {}',
      '',
    ].join('\n');
    expect(parse(mergeProfileText(mine, first.clone(), offeredBy(first)).text)).toEqual(
      parse(mine),
    );
    // The document gains an operation on a record: not_found is given again, and answered.
    const now = first.clone();
    (now.get('routes') as YAMLSeq).add(
      now.createNode({
        id: 'author',
        method: 'GET',
        path: '/authors/{id}',
        auth: ['apiKey'],
        params: { id: 'id' },
      }),
    );
    const merged = parse(mergeProfileText(mine, now, offeredBy(first)).text) as {
      routes: { id: string }[];
      errors: object;
    };
    expect(merged.routes.map((r) => r.id)).toEqual(['list', 'author']);
    expect(Object.keys(merged.errors)).toEqual(['badRequest', 'unauthorized', 'notFound']);
  });

  it('keeps in the record what the user deleted, so that a document that drops it and brings it back does not bring it back', () => {
    const first = new Document({
      credentials: {
        apiKey: { kind: 'api_key', in: 'header', name: 'X-Key' },
        legacyKey: { kind: 'api_key', in: 'query', name: 'k' },
      },
      routes: [
        { id: 'a', method: 'GET', path: '/a', auth: ['apiKey', 'legacyKey'] },
        { id: 'b', method: 'GET', path: '/b', auth: ['legacyKey'] },
      ],
    });
    // The document as it is for a while: the legacy key and its route gone.
    const dropped = new Document({
      credentials: { apiKey: { kind: 'api_key', in: 'header', name: 'X-Key' } },
      routes: [{ id: 'a', method: 'GET', path: '/a', auth: ['apiKey'] }],
    });
    // The user deleted them before the document did: they stay gone when it brings them back.
    const mine = [
      'credentials:',
      '  apiKey: {kind: api_key, in: header, name: X-Key}',
      'routes:',
      '  - {id: a, method: GET, path: /a, auth: [apiKey]}',
      '',
    ].join('\n');
    const second = mergeProfileText(mine, dropped.clone(), offeredBy(first));
    expect(second.offered).toMatchObject({
      credentials: ['apiKey', 'legacyKey'],
      routes: ['a', 'b'],
    });
    const third = mergeProfileText(second.text, first.clone(), second.offered);
    expect(parse(third.text)).toEqual(parse(mine));
    expect(third.offered).toMatchObject({ credentials: ['apiKey', 'legacyKey'] });
    // The user kept them while the document dropped them and deleted them since: it gained them.
    const kept = mine
      .replace('routes:', '  legacyKey: {kind: api_key, in: query, name: k}\nroutes:')
      .replace(
        'auth: [apiKey]}',
        'auth: [apiKey, legacyKey]}\n  - {id: b, method: GET, path: /b, auth: [legacyKey]}',
      );
    const keptThen = mergeProfileText(kept, dropped.clone(), offeredBy(first));
    expect(keptThen.offered).toEqual(offeredBy(dropped));
    const back = parse(mergeProfileText(mine, first.clone(), keptThen.offered).text) as {
      credentials: object;
      routes: { id: string }[];
    };
    expect(Object.keys(back.credentials)).toEqual(['apiKey', 'legacyKey']);
    expect(back.routes.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('gives a scope list the user deleted altogether only the scopes the document gained', () => {
    const first = new Document({
      credentials: { oauth: { kind: 'jwt', in: 'bearer', token: 'access' } },
      scopes: { vocabulary: ['read', 'admin'] },
      routes: [{ id: 'r', method: 'GET', path: '/r', auth: ['oauth'], scope: 'read' }],
    });
    // The user does not test scopes.
    const mine = [
      'credentials:',
      '  oauth: {kind: jwt, in: bearer, token: access}',
      'routes:',
      '  - {id: r, method: GET, path: /r, auth: [oauth]}',
      '',
    ].join('\n');
    expect(parse(mergeProfileText(mine, first.clone(), offeredBy(first)).text)).toEqual(
      parse(mine),
    );
    const now = first.clone();
    (now.getIn(['scopes', 'vocabulary']) as YAMLSeq).add('write');
    const merged = parse(mergeProfileText(mine, now, offeredBy(first)).text) as {
      scopes: object;
    };
    expect(merged.scopes).toEqual({ vocabulary: ['write'] });
  });
});
