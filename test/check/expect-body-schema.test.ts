import { describe, expect, it } from 'vitest';
import { CheckFailure } from '../../src/check/check-failure.ts';
import { expectBodySchema } from '../../src/check/expect-body-schema.ts';
import type { ReceivedResponse } from '../../src/request/outgoing-request.ts';
import { schemaRegistry } from '../../src/spec/schema-registry.ts';

const answer = (body: unknown): ReceivedResponse => ({
  status: 401,
  headers: {},
  body,
  rawBody: JSON.stringify(body),
});
const registry = schemaRegistry();
const ERROR_BODY = 'bodies/luxcore.json#/$defs/errorBody';

describe("expectBodySchema: the answer's body matches the profile's body schema", () => {
  it('holds for a body of that shape', () => {
    const body = { error: { code: 'invalid_api_key', message: 'Invalid API key.' } };
    expect(() => expectBodySchema(registry, answer(body), ERROR_BODY, 'unknown key')).not.toThrow();
  });

  it('fails another shape, naming the schema and where the body departs from it', () => {
    let thrown: unknown;
    try {
      expectBodySchema(registry, answer({ error: 'invalid_api_key' }), ERROR_BODY, 'unknown key');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CheckFailure);
    expect((thrown as CheckFailure).check).toBe('expectBodySchema');
    expect((thrown as CheckFailure).message).toMatch(
      /^unknown key: body does not match bodies\/luxcore\.json#\/\$defs\/errorBody: .*error/,
    );
  });

  it('fails an answer with no JSON body', () => {
    expect(() => expectBodySchema(registry, answer(undefined), ERROR_BODY, 'x')).toThrow(
      /x: body does not match/,
    );
  });
});
