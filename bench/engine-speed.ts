/**
 * Engine speed: `authconform run --profile all --target mock` at the default runs per property
 * (the run's time, as its record says, setup aside), and over HTTP loopback the engine's request
 * rate against the mock as a fraction of a bare undici loop sending the very same requests, one
 * at a time, in the same run. Both runs are verify() calls, the path every caller takes.
 */
import { request } from 'undici';
import { createAuthMock } from '../mock-server/create-auth-mock.ts';
import { startMockServer } from '../mock-server/hapi/hapi-server.ts';
import { DEFAULT_RUNS, verify } from '../src/api/verify.ts';
import { builtInFixtures, resolveProfile } from '../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../src/spec/fixtures-to-credentials.ts';
import { httpTarget } from '../src/targets/http-target.ts';
import type { OutgoingRequest } from '../src/request/outgoing-request.ts';
import type { Target } from '../src/targets/target.ts';

export interface EngineFigures {
  allProfilesInProcessSeconds: number;
  verdicts: number;
  httpEngineRequestsPerSecond: number;
  httpBareLoopRequestsPerSecond: number;
  ratio: number;
}

export async function benchEngine(): Promise<EngineFigures> {
  const all = await verify({ profile: 'all', target: 'mock', runs: DEFAULT_RUNS, seed: 1 });
  const allProfilesInProcessSeconds = all.durationMs / 1000;

  // Over HTTP: LuxCore (signed routes, the most work per request), recorded then replayed bare.
  const loaded = resolveProfile('luxcore');
  const { profile } = loaded;
  const creds = fixturesToCredentials(builtInFixtures(profile), profile);
  const server = await startMockServer(await createAuthMock({ profile }), { port: 0 });
  // The bundled mock over HTTP is resettable; the resets are requests too, counted on both sides
  // (without them the mock's per-key rate limits would answer 429 and the guest would wait).
  const inner = httpTarget(server.url, { resettable: true });
  const sent: OutgoingRequest[] = [];
  const recording: Target = {
    ...inner,
    send: (req) => (sent.push(req), inner.send(req)),
    reset: async () => {
      sent.push({
        method: 'POST',
        pathWithQuery: '/__mock/reset',
        headers: { 'content-type': 'application/json' },
      });
      await inner.reset!();
    },
  };
  const recorded = await verify({
    profile: loaded,
    target: recording,
    credentials: creds,
    runs: 100,
    seed: 1,
  });
  const engineSeconds = recorded.durationMs / 1000;
  const t = performance.now();
  for (const req of sent) {
    const res = await request(server.url + req.pathWithQuery, {
      method: req.method as 'GET',
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
    });
    await res.body.text();
  }
  const bareSeconds = (performance.now() - t) / 1000;
  await server.stop();
  const httpEngineRequestsPerSecond = Math.round(sent.length / engineSeconds);
  const httpBareLoopRequestsPerSecond = Math.round(sent.length / bareSeconds);
  return {
    allProfilesInProcessSeconds: Number(allProfilesInProcessSeconds.toFixed(2)),
    verdicts: all.verdicts.length,
    httpEngineRequestsPerSecond,
    httpBareLoopRequestsPerSecond,
    ratio: Number((httpEngineRequestsPerSecond / httpBareLoopRequestsPerSecond).toFixed(2)),
  };
}
