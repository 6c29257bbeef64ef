/** The URL the mock prints is one a client can use, for IPv4, IPv6 and unspecified addresses. */
import { describe, expect, it } from 'vitest';
import { createAuthMock } from '../../mock-server/create-auth-mock.ts';
import { startMockServer, urlHost } from '../../mock-server/hapi/hapi-server.ts';

describe('the mock URL', () => {
  it('writes an IPv6 host in brackets and an unspecified address as loopback', () => {
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
    expect(urlHost('localhost')).toBe('localhost');
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('::')).toBe('[::1]');
    expect(urlHost('0.0.0.0')).toBe('127.0.0.1');
  });

  it('listening on ::1, the printed URL parses and answers', async () => {
    const server = await startMockServer(await createAuthMock({ profile: 'luxcore' }), {
      host: '::1',
      port: 0,
    });
    try {
      expect(server.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      const res = await fetch(`${server.url}/__mock/health`);
      expect(res.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
