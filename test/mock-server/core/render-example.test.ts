// A route's success example filled in for one request, and the names a route's example shows,
// which the core reads once per route so that an answer computes only what its example shows.
import { describe, expect, it } from 'vitest';
import { renderExample, scopeNamesOf } from '../../../mock-server/core/render-example.ts';

describe('renderExample', () => {
  it("keeps a whole placeholder's type, stringifies one inside text, and applies filters", () => {
    const out = renderExample(
      {
        merchant_id: '${merchant}',
        amount: '${body.amount|max:100}',
        note: 'paid by ${merchant} at ${now}',
        currency: '${body.currency|default:EUR}',
        tags: ['${params.id}', 'fixed'],
        expires: '${body.minutes|minutesFromNow}',
      },
      {
        merchant: '100234',
        body: { amount: 2500, minutes: 2 },
        params: { id: 'p_1' },
        now: '2026-12-05T10:00:00.000Z',
        nowMs: Date.parse('2026-12-05T10:00:00.000Z'),
      },
    );
    expect(out).toEqual({
      merchant_id: '100234',
      amount: 100,
      note: 'paid by 100234 at 2026-12-05T10:00:00.000Z',
      currency: 'EUR',
      tags: ['p_1', 'fixed'],
      expires: '2026-12-05T10:02:00.000Z',
    });
  });
});

describe('scopeNamesOf', () => {
  it('names the first segment of every placeholder, at any depth, whole or inside text', () => {
    const names = scopeNamesOf({
      id: '${uuid}',
      merchant_id: '${merchant}',
      items: [{ at: 'created ${now}', by: '${key.masked|default:none}' }],
      amount: '${body.amount}',
      plain: 'no placeholder here',
      count: 3,
    });
    expect([...names].sort()).toEqual(['body', 'key', 'merchant', 'now', 'uuid']);
  });

  it('names nothing for an example without placeholders', () => {
    expect(scopeNamesOf({ ok: true, list: ['a', 1, null] }).size).toBe(0);
  });
});
