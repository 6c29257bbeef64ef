import { describe, expect, it } from 'vitest';
import { deriveErrors } from '../../src/model/derive-errors.ts';
import { resolveReferences } from '../../src/model/resolved-profile.ts';
import type { Profile } from '../../src/model/profile.ts';
import { SchemaRegistry } from '../../src/spec/schema-registry.ts';
import { SCHEMAS_DIR } from '../../src/spec/spec-paths.ts';

/** A profile of the built-in vaulera error shape ({error: {type, code, message}}), errors as given. */
function lean(errors: Profile['errors'], denials: Profile['denials']): Profile {
  return {
    id: 'lean',
    name: 'Lean',
    version: '1',
    source: 'test',
    credentials: { apiKey: { kind: 'api_key', in: 'header', name: 'X-API-Key' } },
    routes: [
      {
        id: 'list',
        method: 'GET',
        path: '/things',
        auth: ['apiKey'],
        success: { status: 200 },
      },
    ],
    errorShape: {
      schema: 'bodies/vaulera.json#/$defs/errorShape',
      codeAt: '/error/code',
      body: { error: { type: 'authorization_error', code: '${code}', message: '${message}' } },
    },
    errors,
    denials,
  };
}

const registry = new SchemaRegistry([SCHEMAS_DIR]);

describe('errors derived from errorShape', () => {
  const profile = lean(
    {
      invalid_key: { message: 'Bad key.' },
      forbidden: { code: 'insufficient_scope', message: 'Not allowed.' },
      slow_down: { message: 'Later.' },
      bad_request: { message: 'Malformed.' },
      teapot: { status: 418 as number, message: 'No.' },
    },
    {
      missing_credential: 'invalid_key',
      unknown_credential: 'invalid_key',
      insufficient_scope: 'forbidden',
      rate_limited: 'slow_down',
      malformed_request: 'bad_request',
      not_found: 'teapot',
    },
  );
  const { errors, problems } = deriveErrors(profile);

  it('fills the template with the code (default: the id) and the message', () => {
    expect(problems).toEqual([]);
    expect(errors.invalid_key!.body).toEqual({
      error: { type: 'authorization_error', code: 'invalid_key', message: 'Bad key.' },
    });
    expect(errors.forbidden!.body).toEqual({
      error: { type: 'authorization_error', code: 'insufficient_scope', message: 'Not allowed.' },
    });
  });

  it('defaults the status from the denials it answers: 401, 403, 429, 400; a stated one wins', () => {
    expect(errors.invalid_key!.status).toBe(401);
    expect(errors.forbidden!.status).toBe(403);
    expect(errors.slow_down!.status).toBe(429);
    expect(errors.bad_request!.status).toBe(400);
    expect(errors.teapot!.status).toBe(418);
  });

  it('declares Retry-After on the error that answers rate_limited, and on no other', () => {
    expect(Object.keys(errors.slow_down!.headers ?? {})).toEqual(['Retry-After']);
    expect(errors.invalid_key!.headers).toBeUndefined();
  });

  it("derives a schema that is the shape with the error's code pinned", () => {
    const schema = errors.forbidden!;
    expect(schema.pinned).toEqual({ '/error/code': 'insufficient_scope' });
    const validate = registry.validator(schema);
    expect(validate(schema.body)).toBe(true);
    const otherCode = structuredClone(errors.invalid_key!.body);
    expect(validate(otherCode)).toBe(false);
    expect(validate({ error: { type: 'authorization_error', message: 'no code' } })).toBe(false);
  });

  it('pins the fields the template fills from the status', () => {
    const boom = lean({ denied: { message: 'No.' } }, { missing_credential: 'denied' });
    boom.errorShape = {
      schema: 'bodies/gateway.json#/$defs/error',
      codeAt: '/code',
      body: { statusCode: '${status}', error: '${statusText}', message: '${message}', code: 'X' },
    };
    const denied = deriveErrors(boom).errors.denied!;
    expect(denied.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'No.',
      code: 'X',
    });
    expect(denied.pinned).toEqual({ '/code': 'X', '/statusCode': 401, '/error': 'Unauthorized' });
  });

  it('keeps an error with its own schema as written, nothing pinned', () => {
    const own = lean(
      {
        legacy: {
          schema: 'bodies/vaulera.json#/$defs/errorShape',
          body: { error: { type: 'authorization_error', code: 'legacy', message: 'Old.' } },
        },
      },
      { missing_credential: 'legacy' },
    );
    const legacy = deriveErrors(own).errors.legacy!;
    expect(legacy.pinned).toEqual({});
    expect(legacy.status).toBe(401);
  });

  it('names the error whose status cannot be defaulted, and the one with no body', () => {
    const { problems } = deriveErrors(
      lean(
        { both: { message: 'x' }, orphan: { message: 'y' } },
        { missing_credential: 'both', insufficient_scope: 'both' },
      ),
    );
    expect(problems.map((p) => p.at.join('.'))).toEqual(['errors.both', 'errors.orphan']);
    expect(problems[0]!.message).toContain('(401, 403)');
    const noTemplate = lean({ bare: {} }, { missing_credential: 'bare' });
    delete noTemplate.errorShape!.body;
    expect(deriveErrors(noTemplate).problems[0]!.message).toContain('no body');
  });

  it('names a placeholder of the template that is none of the four, where it is', () => {
    const typo = lean({ bad: { message: 'x' } }, { missing_credential: 'bad' });
    typo.errorShape!.body = { error: { code: '${cod}', message: 'see ${messages}: ${message}' } };
    const { problems } = deriveErrors(typo);
    expect(problems.map((p) => [p.at.join('.'), p.message])).toEqual([
      [
        'errorShape.body.error.code',
        'errorShape.body has ${cod}: the template fills ${code}, ${message}, ${status} and ${statusText}',
      ],
      [
        'errorShape.body.error.message',
        'errorShape.body has ${messages}: the template fills ${code}, ${message}, ${status} and ${statusText}',
      ],
    ]);
  });

  it('is derived once: resolving a resolved copy keeps each error as it was resolved', () => {
    const resolved = resolveReferences(profile);
    const copy = structuredClone(resolved);
    copy.errors.invalid_key!.body = { message: 'Unauthorized' };
    copy.errors.invalid_key!.status = 403;
    const again = resolveReferences(copy);
    expect(again.errors.invalid_key!.body).toEqual({ message: 'Unauthorized' });
    expect(again.errors.invalid_key!.status).toBe(403);
    expect(again.errors.invalid_key!.pinned).toEqual({ '/error/code': 'invalid_key' });
  });
});
