// A created or rotated key never takes a value or id another key (or its own past) holds. A
// format with few random characters draws one twice; a scripted drawing does so at once here: a
// key created under a taken id replaced that key, and a value two keys share would let one's
// holder in as the other. Create and rotate draw through drawUnused: the last two cases drive
// them through the API in a format of 26 ids and 26 secrets, where drawing without the check
// repeats an id or a value within a few keys.
import { beforeEach, describe, expect, it } from 'vitest';
import { drawUnused } from '../../mock-server/core/key-lifecycle.ts';
import { keyFormatById } from '../../src/model/resolved-profile.ts';
import { StoreFullError } from '../../mock-server/state/state-store.ts';
import type { Profile } from '../../src/model/profile.ts';
import { mockSession, type MockSession } from '../support/mock-session.ts';

type Drawn = { value: string; id?: string };

/** A drawing that gives these first, then fresh values of its own. */
function scripted(first: Drawn[]) {
  const queue = [...first];
  let fresh = 0;
  const draw = (): Drawn => {
    const next = queue.shift();
    if (next !== undefined) return next;
    fresh++;
    const id = `fresh${String(fresh).padStart(11, '0')}`;
    return { value: `sk_${id}.${'F'.repeat(40)}`, id };
  };
  return { draw, fresh: () => fresh };
}

describe('drawing a key value no key holds', () => {
  let s: MockSession;
  beforeEach(async () => {
    s = await mockSession('gateway');
  });
  const format = () => keyFormatById(s.mock.world.profile, 'organization');
  const same = (d: Drawn) => d;

  it("draws again where a draw is an existing key's value, or its id", async () => {
    const keys = await s.mock.world.store.listKeys();
    const [a, b] = keys;
    const ids = keys.map((k) => k.id);
    const { draw, fresh } = scripted([
      { value: a!.value, id: a!.id },
      { value: `sk_${b!.id}.${'Z'.repeat(40)}`, id: b!.id }, // a new value under a taken id
    ]);
    const got = await drawUnused(s.mock.world, format(), same, ids, draw);
    expect(fresh()).toBe(1);
    expect(got.id).toBe('fresh00000000001');
  });

  it("draws again where a draw is one of a key's earlier values, still inside its grace", async () => {
    const id = s.creds.resources!.keyId!;
    const original = (await s.mock.world.store.getKey(id))!.value;
    const rotated = await s.send(await s.positive('rotateApiKey', { resources: { keyId: id } }));
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const { draw, fresh } = scripted([{ value: original }]);
    const got = await drawUnused(s.mock.world, format(), same, [], draw);
    expect(fresh()).toBe(1);
    expect(got.value).not.toBe(original);
  });

  it('gives up after a hundred draws that all are in use: the store is full for the format', async () => {
    const [a] = await s.mock.world.store.listKeys();
    const { draw, fresh } = scripted(Array.from({ length: 100 }, () => ({ value: a!.value })));
    await expect(drawUnused(s.mock.world, format(), same, [], draw)).rejects.toBeInstanceOf(
      StoreFullError,
    );
    expect(fresh()).toBe(0);
  });
});

/**
 * Gateway with create's format narrowed to `<the alphabet>_<one letter>.<one capital>`: 26 ids,
 * 26 values per id, and the bearer key taking it. Every id letter also stands in the prefix, so a
 * rotation that puts the key's id at the first place its letter appears, not at the id's own,
 * spoils every value it draws. Rate limits lifted: the cases send more than the per-key
 * minute allows.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

async function tinyFormatSession(): Promise<MockSession> {
  const profile: Profile = structuredClone((await mockSession('gateway')).profile);
  const formats = profile.keyFormats!;
  formats.tiny = {
    ...formats.organization!,
    prefix: `${ALPHABET}_`,
    pattern: `^${ALPHABET}_(?<id>[a-z])\\.(?<secret>[A-Z])$`,
    example: `${ALPHABET}_q.H`,
  };
  profile.lifecycle!.create!.format = 'tiny';
  profile.credentials.bearerKey!.formats!.push('tiny');
  for (const r of profile.routes) delete r.rateClass;
  delete profile.rateLimits;
  return mockSession(profile);
}

/** The status of listing clients (scope client:read, which created keys hold) with this key. */
async function statusWith(s: MockSession, token: string): Promise<number> {
  const req = await s.positive('listClients');
  const name = Object.keys(req.headers).find((h) => h.toLowerCase() === 'authorization')!;
  return (await s.send({ ...req, headers: { ...req.headers, [name]: `Bearer ${token}` } })).status;
}

describe('create and rotate through the API, in a format of few values', () => {
  it('creates keys under ids no key holds, and every key created still authenticates', async () => {
    const s = await tinyFormatSession();
    const created: { id: string; token: string }[] = [];
    // 16 of 26 ids: drawn without the check, 16 draws repeat one with probability 0.997.
    for (let i = 0; i < 16; i++) {
      const res = await s.send(await s.positive('createApiKey'));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      created.push((res.body as { data: { id: string; token: string } }).data);
    }
    expect(new Set(created.map((k) => k.id)).size).toBe(16);
    for (const k of created) expect(await statusWith(s, k.token), k.token).toBe(200);
  });

  // Another key's value cannot come up here (a value holds its key's id); the scripted case above
  // covers it.
  it('rotates a key to values of its own id that none of its earlier ones inside the grace holds', async () => {
    const s = await tinyFormatSession();
    const res = await s.send(await s.positive('createApiKey'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { id, token } = (res.body as { data: { id: string; token: string } }).data;
    const values = [token];
    // 15 rotations inside the hour's grace: each must draw one of the 26 - k values still free;
    // drawn without the check, 15 rotations repeat a value with probability 0.99.
    for (let i = 0; i < 15; i++) {
      const rotated = await s.send(await s.positive('rotateApiKey', { resources: { keyId: id } }));
      expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
      values.push((rotated.body as { data: { token: string } }).data.token);
    }
    expect(new Set(values).size).toBe(16);
    // The id in its own place, not where its letter first stands in the prefix.
    for (const v of values) expect(v).toMatch(new RegExp(`^${ALPHABET}_${id}\\.[A-Z]$`));
    // Each inside its grace, so every one still lets its holder in.
    for (const v of values) expect(await statusWith(s, v), v).toBe(200);
  });
});
