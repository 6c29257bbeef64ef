// Routes that use up their record (DELETE, cancel, void) get a fresh record for every request, so a
// server that really deletes and cancels (the bundled mock now does) is not failed for it.
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { runConformance } from '../../src/engine/run-conformance.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { inProcessMockTarget } from '../../src/targets/mock-target.ts';
import { buildRequest } from '../../src/request/build-request.ts';
import { consumedResources } from '../../src/model/record-routes.ts';
import type { Profile } from '../../src/model/profile.ts';
import { MockClock } from '../../mock-server/core/mock-clock.ts';
import { MemoryStore } from '../../mock-server/state/memory-store.ts';

const scenarios = loadScenarios();
// The generic families that sent the same accepted request again and again on one record.
const GENERIC = [
  'revoked-key-refused',
  'unknown-key',
  'malformed-key',
  'header-name-case',
  'body-not-json',
  'missing-key',
  'scope-denied',
  'other-merchant-record',
  'nonce-replayed',
];

/** The profile with only the routes that use up a record, and the routes that create them. */
function onlyConsumingRoutes(id: string): Profile {
  const { profile } = resolveProfile(id);
  const consuming = profile.routes.filter((r) => consumedResources(profile, r).length > 0);
  const creators = new Set(
    consuming.flatMap((r) => consumedResources(profile, r)).map((res) => res),
  );
  // The routes its tokens are issued and refreshed by stay: a profile names no missing route.
  const tokenRoutes = new Set(
    Object.values(profile.tokens ?? {}).flatMap((t) => [
      t.issue?.route,
      t.kind === 'jwt' ? t.refresh?.route : undefined,
    ]),
  );
  return {
    ...profile,
    routes: profile.routes.filter(
      (r) =>
        consuming.includes(r) ||
        (r.creates && creators.has(r.creates.resource)) ||
        tokenRoutes.has(r.id),
    ),
  };
}

async function target(profile: Profile) {
  return inProcessMockTarget(profile, await createAuthMock({ profile }));
}

describe('routes that use up their record', () => {
  it('luxcore and auxvault declare theirs: webhook delete, payment cancel, void, customer delete, refund', () => {
    const names = (id: string) => {
      const profile = onlyConsumingRoutes(id);
      return profile.routes
        .filter((r) => consumedResources(profile, r).length > 0)
        .map((r) => r.id)
        .sort();
    };
    expect(names('luxcore')).toEqual(['payments-cancel', 'webhooks-delete']);
    expect(names('auxvault')).toEqual(['deleteCustomer', 'refund', 'voidTransaction']);
  });

  it('the mock really deletes and cancels: a second delete, a read after it, a second cancel answer 404', async () => {
    const { profile } = resolveProfile('luxcore');
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const t = await target(profile);
    const route = (id: string) => profile.routes.find((r) => r.id === id)!;
    const send = async (id: string, resources: Record<string, string> = {}) =>
      t.send(
        await buildRequest(profile, creds, route(id), { nowSeconds: t.nowSeconds(), resources }),
      );
    const created = await send('webhooks-create');
    expect(created.status).toBe(201);
    const webhook = (created.body as { id: string }).id;
    expect((await send('webhooks-get', { webhook })).status).toBe(200);
    expect((await send('webhooks-delete', { webhook })).status).toBe(204);
    expect((await send('webhooks-get', { webhook })).status).toBe(404);
    expect((await send('webhooks-delete', { webhook })).status).toBe(404);
    // A fixtures record is used up too, until the mock is reset.
    expect((await send('payments-cancel')).status).toBe(200);
    expect((await send('payments-cancel')).status).toBe(404);
    expect((await send('payments-get')).status).toBe(200);
    await t.reset!();
    expect((await send('payments-cancel')).status).toBe(200);
  });

  it('a created record belongs to its creator: another merchant cannot delete it', async () => {
    const { profile } = resolveProfile('luxcore');
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const t = await target(profile);
    const route = (id: string) => profile.routes.find((r) => r.id === id)!;
    const created = await t.send(
      await buildRequest(profile, creds, route('webhooks-create'), { nowSeconds: t.nowSeconds() }),
    );
    const webhook = (created.body as { id: string }).id;
    const res = await t.send(
      await buildRequest(profile, creds, route('webhooks-delete'), {
        nowSeconds: t.nowSeconds(),
        keyRole: 'otherMerchant',
        resources: { webhook },
      }),
    );
    expect(res.status).toBe(404);
  });

  for (const id of ['luxcore', 'auxvault']) {
    it(`${id}: generic scenarios on consuming routes pass the strict mock, each success on a record of its own`, async () => {
      const profile = onlyConsumingRoutes(id);
      const creds = fixturesToCredentials(builtInFixtures(profile), profile);
      const t = await target(profile);
      const consuming = profile.routes.filter((r) => consumedResources(profile, r).length > 0);
      const usedUp: string[] = [];
      const send = t.send.bind(t);
      t.send = async (req) => {
        const res = await send(req);
        const path = req.pathWithQuery.split('?')[0]!;
        const isConsuming = consuming.some(
          (r) =>
            r.method === req.method &&
            new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
        );
        // The record is named by the path, or by the body (a refund's TransactionId).
        if (isConsuming && res.status < 300) usedUp.push(`${req.method} ${path} ${req.body ?? ''}`);
        return res;
      };
      const verdicts = await runConformance(
        [{ profile, creds, target: t }],
        scenarios.filter((s) => GENERIC.includes(s.id)),
        { runs: 10, seed: 3 },
      );
      expect(verdicts.length).toBeGreaterThanOrEqual(4);
      expect(
        verdicts.filter((v) => v.status !== 'PASS').map((v) => `${v.scenario}: ${v.reason}`),
      ).toEqual([]);
      expect(usedUp.length).toBeGreaterThanOrEqual(20);
      expect(usedUp.filter((p, i) => usedUp.indexOf(p) !== i)).toEqual([]);
    });
  }

  it('a harness that sent the same record again would be caught by the strict mock', async () => {
    // The harness is told the routes are repeatable (consumes: false); the mock knows better.
    const strict = onlyConsumingRoutes('luxcore');
    const told: Profile = {
      ...strict,
      routes: strict.routes.map((r) => (r.creates ? r : { ...r, consumes: false })),
    };
    const creds = fixturesToCredentials(builtInFixtures(strict), strict);
    const verdicts = await runConformance(
      [{ profile: told, creds, target: await target(strict) }],
      scenarios.filter((s) => s.id === 'header-name-case'),
      { runs: 5, seed: 3 },
    );
    expect(verdicts.map((v) => v.status)).toEqual(['FAIL']);
    expect(verdicts[0]!.reason).toMatch(/404/);
  });

  it("a full record store refuses a new record with the profile's 429, and forgets none it holds", async () => {
    const { profile } = resolveProfile('luxcore');
    const creds = fixturesToCredentials(builtInFixtures(profile), profile);
    const clock = new MockClock();
    const mock = await createAuthMock({
      profile,
      clock,
      store: new MemoryStore(clock, { maxRecords: 2 }),
    });
    const t = await inProcessMockTarget(profile, mock);
    const route = (id: string) => profile.routes.find((r) => r.id === id)!;
    const send = async (id: string, resources: Record<string, string> = {}) =>
      t.send(
        await buildRequest(profile, creds, route(id), { nowSeconds: t.nowSeconds(), resources }),
      );
    const ids: string[] = [];
    for (let i = 0; i < 2; i++)
      ids.push(((await send('webhooks-create')).body as { id: string }).id);
    const refused = await send('webhooks-create');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    for (const webhook of ids) expect((await send('webhooks-get', { webhook })).status).toBe(200);
  });
});
