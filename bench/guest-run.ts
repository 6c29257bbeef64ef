/**
 * A profile against a URL that cannot be reset (issue 16 item 5): the bundled mock over HTTP,
 * run as a guest (no --resettable), so the run is paced by the profile's rate limits and waits
 * for fresh rate windows as it would against a partner's staging server. The figure is the
 * run's time (its record's), against the aim of 90 s. Also the time a closed port and a server
 * that answers 401 to everything take to be reported. Each run is bounded (--max-time).
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { createAuthMock } from '../mock-server/create-auth-mock.ts';
import { startMockServer } from '../mock-server/hapi/hapi-server.ts';
import { verify } from '../src/api/verify.ts';
import { builtInFixtures, resolveProfile } from '../src/spec/builtin-specs.ts';
import { fixturesToCredentials } from '../src/spec/fixtures-to-credentials.ts';

/** What the issue aims at for one profile against a URL, where its limits allow it. */
export const GUEST_RUN_AIM_SECONDS = 90;
/** No bench run goes on longer than this: a regression shows as ERRORs, not a hung bench. */
const BOUND_SECONDS = 240;

export interface GuestRunFigures {
  target: string;
  seconds: number;
  pass: number;
  fail: number;
  partial: number;
  error: number;
  exitCode: number;
}

async function guestRun(profileId: string, url: string, target: string): Promise<GuestRunFigures> {
  const { profile } = resolveProfile(profileId);
  const record = await verify({
    profile: profileId,
    target: url,
    credentials: fixturesToCredentials(builtInFixtures(profile), profile),
    seed: 1,
    maxTimeMs: BOUND_SECONDS * 1000,
  });
  const t = record.totals;
  return {
    target,
    seconds: Number((record.durationMs / 1000).toFixed(1)),
    pass: t.pass,
    fail: t.fail,
    partial: t.partial,
    error: t.error,
    exitCode: record.overall.exitCode,
  };
}

/** `profiles` each against its own fresh mock over HTTP, then the closed port and the 401 server. */
export async function benchGuestRuns(profiles: readonly string[]): Promise<GuestRunFigures[]> {
  const rows: GuestRunFigures[] = [];
  for (const id of profiles) {
    const { profile } = resolveProfile(id);
    const server = await startMockServer(await createAuthMock({ profile }), { port: 0 });
    try {
      rows.push(await guestRun(id, server.url, `${id}: the mock over HTTP, not resettable`));
    } finally {
      await server.stop();
    }
  }
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
  rows.push(await guestRun(profiles[0]!, `http://127.0.0.1:${port}`, 'a closed port'));
  const refusing = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"unauthorized"}');
    });
  });
  await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  const { port: refusingPort } = refusing.address() as { port: number };
  try {
    rows.push(
      await guestRun(
        profiles[0]!,
        `http://127.0.0.1:${refusingPort}`,
        'a server answering 401 to all',
      ),
    );
  } finally {
    await new Promise((resolve) => refusing.close(resolve));
  }
  return rows;
}
