// The run's rate ledger on a guest target (src/engine/rate-ledger.ts): the harness paces its own
// traffic below the profile's per-key limits, and knows when a key's window is fresh again. Pure:
// times are given, nothing waits.
import { describe, expect, it } from 'vitest';
import { rateLedger, WINDOW_SLACK_MS } from '../../src/engine/rate-ledger.ts';
import { resolveReferences, type ResolvedProfile } from '../../src/model/resolved-profile.ts';
import { builtInFixtures, resolveProfile } from '../../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import type { OutgoingRequest, ReceivedResponse } from '../../src/request/outgoing-request.ts';

const T0 = 1_000_000;

function luxcore() {
  const { profile } = resolveProfile('luxcore');
  const creds = fixturesToCredentials(builtInFixtures(profile), profile);
  return { profile: resolveReferences(profile), creds };
}

/** A request on `route` (its path's parameters filled) carrying `key`. */
function requestOn(profile: ResolvedProfile, routeId: string, key: string): OutgoingRequest {
  const route = profile.routes.find((r) => r.id === routeId)!;
  return {
    method: route.method,
    pathWithQuery: route.path.replace(/\{[^}]+\}/g, 'x1') + '?page=2',
    headers: { authorization: `Bearer ${key}` },
  };
}

const answer = (status: number, headers: Record<string, string> = {}): ReceivedResponse => ({
  status,
  headers,
  body: undefined,
  rawBody: '',
});

/** A route of the profile in the rate class `classId`, that takes an API key. */
function routeOfClass(profile: ResolvedProfile, classId: string): string {
  return profile.routes.find((r) => r.rateLimit?.id === classId && r.signedWith === undefined)!.id;
}

describe('the rate ledger of a guest target', () => {
  it('lets a key send up to its limit at once, then holds the next until its window made room', () => {
    const { profile, creds } = luxcore();
    const ledger = rateLedger(profile, creds, T0);
    const standard = profile.rateLimits!.standard!;
    const req = requestOn(profile, routeOfClass(profile, 'standard'), creds.keys!.valid!.value);
    for (let i = 0; i < standard.limit; i++) {
      expect(ledger.delayFor(req, T0 + i)).toBe(0);
      ledger.record(req, answer(200), T0 + i);
    }
    // The oldest of the window leaves it one window (and the slack) after it was answered.
    expect(ledger.delayFor(req, T0 + standard.limit)).toBe(
      standard.windowSeconds * 1000 + WINDOW_SLACK_MS - standard.limit,
    );
  });

  it('counts admitted answers only, per key and per class: a refusal, another key or class spends nothing', () => {
    const { profile, creds } = luxcore();
    const ledger = rateLedger(profile, creds, T0);
    const standardRoute = routeOfClass(profile, 'standard');
    const valid = requestOn(profile, standardRoute, creds.keys!.valid!.value);
    for (let i = 0; i < 100; i++) ledger.record(valid, answer(i % 2 ? 401 : 200), T0);
    // 50 admitted of 100 allowed: room.
    expect(ledger.delayFor(valid, T0)).toBe(0);
    for (let i = 0; i < 50; i++) ledger.record(valid, answer(200), T0);
    expect(ledger.delayFor(valid, T0)).toBeGreaterThan(0);
    const other = requestOn(profile, standardRoute, creds.keys!.sameMerchant!.value);
    expect(ledger.delayFor(other, T0)).toBe(0);
    const payment = requestOn(profile, routeOfClass(profile, 'payment'), creds.keys!.valid!.value);
    expect(ledger.delayFor(payment, T0)).toBe(0);
  });

  it('holds a key to its burst window as well as its limit', () => {
    const { profile, creds } = luxcore();
    const ledger = rateLedger(profile, creds, T0);
    const payment = profile.rateLimits!.payment!;
    const req = requestOn(profile, routeOfClass(profile, 'payment'), creds.keys!.valid!.value);
    for (let i = 0; i < payment.burst!.limit; i++) ledger.record(req, answer(201), T0);
    expect(ledger.delayFor(req, T0)).toBe(payment.burst!.windowSeconds * 1000 + WINDOW_SLACK_MS);
  });

  it("holds a key back until a 429's Retry-After has passed, once for all its requests", () => {
    const { profile, creds } = luxcore();
    const ledger = rateLedger(profile, creds, T0);
    const req = requestOn(profile, routeOfClass(profile, 'standard'), creds.keys!.valid!.value);
    ledger.record(req, answer(429, { 'retry-after': '7' }), T0);
    expect(ledger.delayFor(req, T0)).toBe(7000 + WINDOW_SLACK_MS);
    expect(ledger.delayFor(req, T0 + 7000 + WINDOW_SLACK_MS)).toBe(0);
  });

  it('knows a key fresh one window after its last admitted request, and not before the run is a window old', () => {
    const { profile, creds } = luxcore();
    const ledger = rateLedger(profile, creds, T0);
    const longest = 60_000 + WINDOW_SLACK_MS;
    const valid = creds.keys!.valid!.value;
    // What the run did not see (an earlier run) may have spent it: a window from the start.
    expect(ledger.freshAt([valid])).toBe(T0 + longest);
    const req = requestOn(profile, routeOfClass(profile, 'standard'), valid);
    ledger.record(req, answer(200), T0 + 30_000);
    expect(ledger.freshAt([valid])).toBe(T0 + 30_000 + longest);
    expect(ledger.freshAt([creds.keys!.sameMerchant!.value])).toBe(T0 + longest);
  });

  it('knows a class with a burst fresh once its burst window is empty and its minute has room', () => {
    const { profile, creds } = luxcore();
    const ledger = rateLedger(profile, creds, T0);
    const payment = profile.rateLimits!.payment!;
    const valid = creds.keys!.valid!.value;
    const req = requestOn(profile, routeOfClass(profile, 'payment'), valid);
    for (let i = 0; i < 10; i++) ledger.record(req, answer(201), T0 + 100_000);
    // The burst (500 per 10 s) is the budget: its window must be empty; the minute's 5000 has room.
    expect(ledger.freshAt([valid], payment)).toBe(
      T0 + 100_000 + payment.burst!.windowSeconds * 1000 + WINDOW_SLACK_MS,
    );
    // A minute that could not take a whole burst more holds the key until enough of it left.
    const full = payment.limit - payment.burst!.limit;
    for (let i = 0; i < full; i++) ledger.record(req, answer(201), T0 + 100_000);
    expect(ledger.freshAt([valid], payment)).toBe(
      T0 + 100_000 + payment.windowSeconds * 1000 + WINDOW_SLACK_MS,
    );
  });

  it('knows a key the target only ever refused, and names keys by role', () => {
    const { profile, creds } = luxcore();
    const ledger = rateLedger(profile, creds, T0);
    const valid = creds.keys!.valid!.value;
    expect(ledger.neverAdmitted(valid)).toBe(false);
    const req = requestOn(profile, routeOfClass(profile, 'standard'), valid);
    ledger.record(req, answer(401), T0);
    expect(ledger.neverAdmitted(valid)).toBe(true);
    ledger.record(req, answer(200), T0);
    expect(ledger.neverAdmitted(valid)).toBe(false);
    expect(ledger.roleOf(ledger.keyIn(req)!)).toBe('valid');
  });
});
