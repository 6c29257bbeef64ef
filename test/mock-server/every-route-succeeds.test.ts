import { describe, expect, it } from 'vitest';
import { builtInProfileIds, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { mockSession, schemaMismatch } from '../support/mock-session.ts';

describe('the bundled mock serves every route of every profile', () => {
  for (const id of builtInProfileIds()) {
    const { profile } = resolveProfile(id);
    for (const route of profile.routes) {
      it(`${id} ${route.method} ${route.path} answers ${route.success.status} with a body of its schema`, async () => {
        const s = await mockSession(id);
        const res = await s.send(await s.positive(route.id));
        expect(res.status, JSON.stringify(res.body)).toBe(route.success.status);
        if (route.success.schema) expect(schemaMismatch(route.success.schema, res.body)).toBe('');
        else expect(res.body).toBeUndefined();
      });
    }
  }
});
