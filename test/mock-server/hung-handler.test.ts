// A request the mock cannot finish deciding (a user's signer module whose verify never settles)
// is answered 500 once the handler's budget is spent, and the operator is told, however the
// mock keeps its state: the connection is not held open for ever. Fake timers stand in for the
// wait (2 × the client timeout + 10 s).
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { mockHapiServer } from '../../mock-server/hapi/hapi-server.ts';
import { attachModuleSigner, signerOf } from '../../src/sign/signers.ts';
import type { Signer } from '../../src/sign/signer.ts';
import { loadProfile } from '../../src/spec/load-profile.ts';
import { generateFixtures } from '../../src/spec/generate-fixtures.ts';
import { fixturesToCredentials } from '../../src/spec/fixtures-to-credentials.ts';
import { SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';

const DIR = join(import.meta.dirname, '../../examples/custom-signer');

afterEach(() => {
  vi.useRealTimers();
});

describe('a mock whose signer module never answers, on the in-memory store', () => {
  it('answers 500 after the handler budget and tells onError', async () => {
    const registry = new SchemaRegistry([SCHEMAS_DIR, join(DIR, 'schemas')]);
    const { profile } = loadProfile(join(DIR, 'profile.yaml'), registry);
    const entry = profile.signing!['parcel']!;
    let reached!: () => void;
    const verifying = new Promise<void>((resolve) => (reached = resolve));
    const hanging: Signer<never> = {
      ...signerOf(entry),
      verify: () => {
        reached();
        return new Promise(() => {});
      },
    };
    attachModuleSigner(entry, hanging);
    const fixtures = generateFixtures(profile);
    const key = fixturesToCredentials(fixtures, profile).keys!.valid!.value;
    const errors: string[] = [];
    const server = mockHapiServer(await createAuthMock({ profile, fixtures }), {
      clientTimeoutMs: 100,
      onError: (_e, req) => errors.push(`${req.method} ${req.path}`),
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const answer = server.inject({
      method: 'POST',
      url: '/v1/shipments',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      payload: '{"to":"10 Downing St, London","weightGrams":1200}',
    });
    await verifying; // the body is in and the handler waits on the signer
    await vi.advanceTimersByTimeAsync(2 * 100 + 10_000 + 1);
    const res = await answer;
    expect(res.statusCode, res.payload).toBe(500);
    expect(errors).toEqual(['POST /v1/shipments']);
  });
});
