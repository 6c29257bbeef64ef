import type { ReceivedResponse } from '../request/outgoing-request.ts';
import { bodySchemaText, type BodySchema, type SchemaRegistry } from '../spec/schema-registry.ts';
import { ajvProblemText } from '../spec/body-problems.ts';
import { CheckFailure } from './check-failure.ts';

/** The body matches the schema: a route's reference, or an error's derived schema (its code pinned). */
export function expectBodySchema(
  registry: SchemaRegistry,
  res: ReceivedResponse,
  schema: BodySchema,
  what: string,
): void {
  const validate = registry.validator(schema);
  if (!validate(res.body)) {
    throw new CheckFailure(
      'expectBodySchema',
      `${what}: body does not match ${bodySchemaText(schema)}: ${ajvProblemText(validate.errors ?? [])}`,
    );
  }
}
