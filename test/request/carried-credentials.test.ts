import { describe, expect, it } from 'vitest';
import { carriedSecrets } from '../../src/request/carried-credentials.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';

const auxvault = resolveProfile('auxvault').profile;
const keyRoute = auxvault.routes.find((r) => r.id === 'transaction')!;
const key = 'lqv_live_sk_vAukIDvH0bfmuxAYEbpzQQbg16hx29or';

describe('carriedSecrets: the credential values a request carries, where the profile puts them', () => {
  it('reads the key from its header and from the body field the profile also accepts', () => {
    const found = carriedSecrets(auxvault, keyRoute, {
      method: 'POST',
      pathWithQuery: '/api/v1/transactions',
      headers: { 'X-API-KEY': `${key}x` },
      body: JSON.stringify({ apiKey: key, amount: 1 }),
    });
    expect(found.map((c) => [c.where, c.value])).toEqual([
      ['x-api-key header', `${key}x`],
      ['body field apiKey', key],
    ]);
  });

  it("counts a key format's prefix as public, and nothing of an unknown shape", () => {
    const [known] = carriedSecrets(auxvault, keyRoute, {
      method: 'GET',
      pathWithQuery: '/x',
      headers: { 'x-api-key': key },
    });
    expect(known).toMatchObject({ publicLength: 'lqv_live_sk_'.length, prefix: 'lqv_live_sk_' });
    const [unknown] = carriedSecrets(auxvault, keyRoute, {
      method: 'GET',
      pathWithQuery: '/x',
      headers: { 'x-api-key': 'zz9_vAukIDvH0bfmuxAYEbpzQQbg16hx29or' },
    });
    expect(unknown!.publicLength).toBe(0);
  });

  it('finds nothing on a request that carries no credential, and ignores a body that is not JSON', () => {
    expect(
      carriedSecrets(auxvault, keyRoute, {
        method: 'POST',
        pathWithQuery: '/x',
        headers: {},
        body: '{"apiKey": ',
      }),
    ).toEqual([]);
  });
});
