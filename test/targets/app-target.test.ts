// Issue 15 item 3: appTarget tells the three in-process kinds apart (an explicit constructor wins),
// and verify() takes an in-process app as its target.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createApp, DEFAULT_DATA } from '../../examples/hono-gateway/server.ts';
import { loadWorld } from '../../examples/hono-gateway/world.ts';
import { verify } from '../../src/api/verify.ts';
import { resolveProfile } from '../../src/spec/builtin-specs.ts';
import { loadCredentials } from '../../src/spec/load-credentials.ts';
import { appTarget, type InProcessApp } from '../../src/targets/app-target.ts';
import { EXAMPLES_DIR } from '../examples/run-example.ts';
import { fetchHandlerTarget } from '../../src/targets/fetch-handler-target.ts';
import { nodeListenerTarget } from '../../src/targets/node-listener-target.ts';
import { exampleWorld } from '../support/example-world.ts';

const GET = { method: 'GET', pathWithQuery: '/who', headers: {} };

describe('appTarget', () => {
  it('asks an Express app (three parameters) and a (req, res) listener as Node listeners', async () => {
    const app = express().get('/who', (_req, res) => void res.send('express'));
    const koaLike = (_req: IncomingMessage, res: ServerResponse) => res.end('listener');
    expect(appTarget(app).description).toMatch(/^in-process Node listener/);
    expect((await appTarget(app).send(GET)).rawBody).toBe('express');
    expect((await appTarget(koaLike).send(GET)).rawBody).toBe('listener');
  });

  it('asks a (request) handler and an object with fetch (a Hono app) as Fetch handlers', async () => {
    const hono = new Hono().get('/who', (c) => c.text('hono'));
    expect(appTarget(hono).description).toMatch(/^in-process Fetch handler/);
    expect((await appTarget(hono).send(GET)).rawBody).toBe('hono');
    expect((await appTarget(hono.fetch).send(GET)).rawBody).toBe('hono');
    expect((await appTarget(() => new Response('plain')).send(GET)).rawBody).toBe('plain');
  });

  it('asks a Fastify instance through its inject', async () => {
    const fastify = Fastify();
    fastify.get('/who', async () => 'fastify');
    expect(appTarget(fastify).description).toMatch(/^in-process Fastify inject/);
    expect((await appTarget(fastify).send(GET)).rawBody).toBe('fastify');
    await fastify.close();
  });

  it('keeps the kind an explicit constructor names, whatever the arity says', async () => {
    // (request, env): two parameters, a Node listener by arity, a Fetch handler by its author.
    const withEnv = (_request: Request, _env?: unknown) => new Response('fetch with env');
    const t = appTarget(fetchHandlerTarget(withEnv), { timeoutMs: 500 });
    expect(t.description).toMatch(/^in-process Fetch handler/);
    expect((await t.send(GET)).rawBody).toBe('fetch with env');
    // (...args): arity 0, a Fetch handler by arity, a Node listener by its author.
    const listener = (_req: IncomingMessage, res: ServerResponse) => res.end('rest args');
    const rest = (...args: [IncomingMessage, ServerResponse]) => listener(...args);
    const n = appTarget(nodeListenerTarget(rest));
    expect(n.description).toMatch(/^in-process Node listener/);
    expect((await n.send(GET)).rawBody).toBe('rest args');
  });

  it('says what it expected and what it got for anything else', () => {
    expect(() => appTarget({ handle: () => {} } as never)).toThrow(
      /appTarget: expected a Node listener \(req, res\), a Fetch handler \(request\) .*; got an object \(Object\) with handle/,
    );
    expect(() => appTarget('http://x' as never)).toThrow(/got a string/);
  });
});

describe('verify() with an in-process app as its target', () => {
  const credentials = join(EXAMPLES_DIR, 'hono-gateway/credentials.yaml');
  const run = (app: InProcessApp) =>
    verify({
      profile: 'gateway',
      target: app,
      credentials,
      scenarios: ['missing-key', 'revoked-key-refused'],
      runs: 3,
      seed: 1,
    });

  it('runs the suite against the app itself, named in-process in the record', async () => {
    const record = await run(createApp(exampleWorld(loadWorld, DEFAULT_DATA)));
    expect(record.target.description).toBe('in-process Fetch handler (http://127.0.0.1)');
    expect(record.verdicts.map((v) => `${v.scenario} ${v.status}`).sort()).toEqual([
      'missing-key PASS',
      'revoked-key-refused PASS',
    ]);
  });

  it('fails an app that accepts the revoked key', async () => {
    const world = exampleWorld(loadWorld, DEFAULT_DATA);
    const revokedId = loadCredentials(credentials, resolveProfile('gateway').profile).keys!.revoked!
      .id;
    world.keys.find((k) => k.id === revokedId)!.status = 'active';
    const record = await run(fetchHandlerTarget(createApp(world)));
    expect(record.verdicts.map((v) => `${v.scenario} ${v.status}`).sort()).toEqual([
      'missing-key PASS',
      'revoked-key-refused FAIL',
    ]);
  });

  it('says an in-process app needs the credentials provisioned for it', async () => {
    await expect(
      verify({ profile: 'gateway', target: createApp(exampleWorld(loadWorld, DEFAULT_DATA)) }),
    ).rejects.toThrow(/a target of your own \(an in-process app\) needs --credentials FILE/);
  });
});
