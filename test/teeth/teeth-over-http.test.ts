// The harness has teeth over HTTP too: a broken implementation of every family on every profile,
// served on a real socket, is caught by the scenarios of its family, and the correct mock of every
// profile, served the same way, raises no false alarm (no FAIL, ERROR or SKIP). What the transport
// changes is per family (the clock read over HTTP, nonces, windows, resets through the control
// routes), so one implementation per family and profile is served here; the in-process check of
// each implementation of the corpus is test/engine/broken-servers.test.ts (and, for Larkspur,
// test/engine/jwt-coverage.test.ts), and `npm run teeth` serves the whole corpus over HTTP.
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../src/scenario/load-scenarios.ts';
import { builtInProfileIds } from '../../src/spec/builtin-specs.ts';
import { BROKEN_CORPUS } from '../support/broken-corpus.ts';
import { LARKSPUR_CORPUS } from '../support/broken-jwt.ts';
import {
  correctLine,
  entryLine,
  runBrokenEntry,
  runCorrectMock,
  runExpectingNoAlarm,
} from './teeth-run.ts';
import { serveBroken } from './serve-broken.ts';
import type { BrokenServer } from '../support/broken-targets.ts';
import { request } from 'undici';

const scenarios = loadScenarios();
// Other runs and seeds than the in-process test: the same faults, met by other draws.
const OPTS = { runs: 8, seed: 7 };
// The correct mock over HTTP, and behind the pass-through proxy (which forwards what it is
// given): every scenario's requests cross the transport, two draws each over HTTP (so a reset
// through the control routes comes between cases) and one through the proxy. The deep search for
// a false alarm is run-engine.test.ts's, in-process, and `npm run teeth -- --seeds N`'s over HTTP.
const CORRECT_OPTS = { runs: 2, seed: 7 };
const PROXY_OPTS = { runs: 1, seed: 7 };

/**
 * The scenarios an implementation must be caught by: only their verdicts are asserted (each
 * property has its own seed, so their siblings change nothing; `npm run teeth` runs the families).
 */
const caughtByOf = (b: BrokenServer) => scenarios.filter((s) => b.caughtBy.includes(s.id));

/** The first implementation of the corpus for each profile and set of families that catch it. */
function onePerFamily<B extends BrokenServer>(corpus: readonly B[]): B[] {
  const familyOf = (id: string) => scenarios.find((s) => s.id === id)?.family ?? id;
  const seen = new Set<string>();
  return corpus.filter((b) => {
    const key = `${b.profile} ${[...new Set(b.caughtBy.map(familyOf))].sort().join('+')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

describe('the implementations served over HTTP: one per family and profile', () => {
  it('cover every family and every profile of the corpus', () => {
    const served = onePerFamily([...BROKEN_CORPUS, ...LARKSPUR_CORPUS]);
    const families = (bs: readonly BrokenServer[]) =>
      new Set(
        bs.flatMap((b) => b.caughtBy).map((id) => scenarios.find((s) => s.id === id)!.family),
      );
    expect(families(served)).toEqual(families([...BROKEN_CORPUS, ...LARKSPUR_CORPUS]));
    expect(new Set(served.map((b) => b.profile))).toEqual(
      new Set([...BROKEN_CORPUS, ...LARKSPUR_CORPUS].map((b) => b.profile)),
    );
    expect(served.length).toBeLessThan(BROKEN_CORPUS.length + LARKSPUR_CORPUS.length);
  });
});

describe('each broken implementation, served over HTTP, is caught by a scenario of its family', () => {
  for (const b of onePerFamily(BROKEN_CORPUS)) {
    it(`${b.profile}: ${b.name} is caught by ${b.caughtBy.join(', ')}`, async () => {
      const r = await runBrokenEntry(b, caughtByOf(b), OPTS);
      expect(r.missedBy, entryLine(r)).toEqual([]);
      expect(r.caught).toBe(true);
    });
  }
});

describe('each broken bearer-JWT verifier of the Larkspur example, served over HTTP, is caught', () => {
  for (const b of onePerFamily(LARKSPUR_CORPUS)) {
    it(`larkspur: ${b.name} is caught by ${b.caughtBy.join(', ')}`, async () => {
      const r = await runBrokenEntry(b, caughtByOf(b), OPTS);
      expect(r.missedBy, entryLine(r)).toEqual([]);
      expect(r.caught).toBe(true);
    });
  }
});

describe('the correct mock, served over HTTP, passes every scenario', () => {
  for (const id of builtInProfileIds()) {
    it(`${id}: no false alarm`, async () => {
      const r = await runCorrectMock(id, scenarios, CORRECT_OPTS);
      expect(r.verdicts.length).toBeGreaterThan(5);
      expect(r.falseAlarms, correctLine(r)).toEqual([]);
    });
  }
});

describe('the proxy that applies a fault on the wire adds no fault of its own', () => {
  for (const id of builtInProfileIds()) {
    it(`${id}: the correct mock behind a pass-through proxy raises no false alarm`, async () => {
      const r = await runExpectingNoAlarm(
        serveBroken({
          name: 'pass-through proxy',
          profile: id,
          models: 'no mistake: every request and answer passed on as it is',
          caughtBy: [],
          rewrite: (req) => req,
          respond: (res) => res,
        }),
        // Not the rate-limit family: bursts of up to 600 identical requests, which the proxy
        // forwards as it does any other (the correct mock's windows over HTTP are tested above).
        scenarios.filter((s) => s.family !== 'rate-limit'),
        PROXY_OPTS,
      );
      expect(r.verdicts.length).toBeGreaterThan(5);
      expect(r.falseAlarms, correctLine(r)).toEqual([]);
    });
  }

  it('answers the fault on the wire and everything else as the mock does', async () => {
    const b = BROKEN_CORPUS.find((x) => x.name === '500 on a body that is not JSON')!;
    const served = await serveBroken(b);
    try {
      const key = served.creds.keys!.valid!.value;
      const send = async (body: string) => {
        const res = await request(`${served.url}/api/v1/checkouts`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
        });
        await res.body.text();
        return res.statusCode;
      };
      expect(await send('{')).toBe(500);
      expect(await send('{"amount": 4999, "currency": "USD", "description": "x"}')).toBe(201);
    } finally {
      await served.stop();
    }
  });
});
