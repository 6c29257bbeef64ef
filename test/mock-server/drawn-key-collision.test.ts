// A created or rotated key never takes a value or id another key (or its own past) holds. A
// format with few random characters draws one twice; a scripted drawing does so at once here: a
// key created under a taken id replaced that key, and a value two keys share would let one's
// holder in as the other. Create and rotate draw through drawUnused.
import { beforeEach, describe, expect, it } from 'vitest';
import { drawUnused } from '../../mock-server/core/key-lifecycle.ts';
import { keyFormatById } from '../../src/model/resolved-profile.ts';
import { StoreFullError } from '../../mock-server/state/state-store.ts';
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
