// A created or rotated key never takes a value or id another key (or its own past) holds. A
// format with few random characters draws one twice; the drawing is stubbed here to do so at
// once: a key created under a taken id replaced that key, and a value two keys share would let
// one's holder in as the other.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockSession, type MockSession } from '../support/mock-session.ts';
import type { MockResponse } from '../../mock-server/core/mock-types.ts';

/** The draws the stub gives before the real drawing's. */
const queued: { value: string; id?: string }[] = [];
let realDraws = 0;

vi.mock('../../mock-server/core/draw-key.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../mock-server/core/draw-key.ts')>();
  return {
    ...real,
    drawKeyValue: (...args: Parameters<typeof real.drawKeyValue>) => {
      const next = queued.shift();
      if (next !== undefined) return next;
      realDraws++;
      return real.drawKeyValue(...args);
    },
  };
});

const data = (res: MockResponse) => (res.body as { data: Record<string, unknown> }).data;
const TOKEN_RE = /^sk_([a-z0-9]{16})\.([A-Za-z0-9]{40})$/;

describe('gateway keys drawn by the mock', () => {
  let s: MockSession;
  beforeEach(async () => {
    queued.length = 0;
    realDraws = 0;
    s = await mockSession('gateway');
  });

  it('a created key draws again where the first draw is an existing key (its id, its value)', async () => {
    const valid = s.mock.world.fixtures.keys.find((k) => k.value === s.creds.keys!.valid!.value)!;
    const before = await s.mock.world.store.listKeys();
    queued.push({ value: valid.value, id: valid.id });
    const res = await s.send(await s.positive('createApiKey'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const made = data(res);
    expect(made.id).not.toBe(valid.id);
    expect(made.token).not.toBe(valid.value);
    expect(realDraws).toBe(1);
    const after = await s.mock.world.store.listKeys();
    expect(after).toHaveLength(before.length + 1);
    // The existing key is as it was.
    expect(await s.mock.world.store.getKey(valid.id)).toEqual(
      before.find((k) => k.id === valid.id),
    );
  });

  it('a rotated key draws again where the first draw is one of its own earlier values', async () => {
    const id = s.creds.resources!.keyId!;
    const original = (await s.mock.world.store.getKey(id))!.value;
    const first = await s.send(await s.positive('rotateApiKey', { resources: { keyId: id } }));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    // The second rotation's first draw gives the value the key had before the first one.
    const [, idPart, secret] = TOKEN_RE.exec(original)!;
    queued.push({ value: `sk_${idPart}.${secret}`, id: idPart });
    const second = await s.send(await s.positive('rotateApiKey', { resources: { keyId: id } }));
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    const now = await s.mock.world.store.getKey(id);
    expect(now!.value).not.toBe(original);
    expect(now!.previous!.map((p) => p.value)).toContain(original);
  });

  it('answers 429 once a hundred draws find only values in use', async () => {
    const valid = s.mock.world.fixtures.keys.find((k) => k.value === s.creds.keys!.valid!.value)!;
    for (let i = 0; i < 100; i++) queued.push({ value: valid.value, id: valid.id });
    const res = await s.send(await s.positive('createApiKey'));
    expect(res.status, JSON.stringify(res.body)).toBe(429);
    expect(realDraws).toBe(0);
  });
});
