// The msw target: several at once (a run of every profile) each answer their own profile.
import { describe, expect, it } from 'vitest';
import { mswMockTarget } from '../../src/targets/msw-target.ts';
import { buildRequest } from '../../src/request/build-request.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';

async function firstRouteRequest(id: string) {
  const { profile } = resolveProfile(id);
  const creds = fixturesToCredentials(builtInFixtures(profile), profile);
  const route = profile.routes.find((r) => r.method === 'POST' && r.auth !== 'public')!;
  return {
    route,
    build: (now: number) => buildRequest(profile, creds, route, { nowSeconds: now }),
  };
}

describe('msw targets of several profiles at once', () => {
  it('each answers its own profile, POST bodies included', async () => {
    const luxcore = await mswMockTarget(resolveProfile('luxcore').profile);
    const gateway = await mswMockTarget(resolveProfile('gateway').profile);
    try {
      for (const [target, id] of [
        [luxcore, 'luxcore'],
        [gateway, 'gateway'],
        [luxcore, 'luxcore'],
      ] as const) {
        const { route, build } = await firstRouteRequest(id);
        const res = await target.send(await build(target.nowSeconds()));
        expect(res.status, `${id} ${route.id}: ${res.rawBody}`).toBe(route.success.status);
      }
    } finally {
      await luxcore.close();
      await gateway.close();
    }
  });
});
