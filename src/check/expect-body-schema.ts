import type { ReceivedResponse } from '../request/outgoing-request.ts';
import type { SchemaRegistry } from '../spec/schema-registry.ts';
import { ajvProblemText } from '../spec/body-problems.ts';
import { CheckFailure } from './check-failure.ts';

export function expectBodySchema(
  registry: SchemaRegistry,
  res: ReceivedResponse,
  ref: string,
  what: string,
): void {
  const validate = registry.validator(ref);
  if (!validate(res.body)) {
    throw new CheckFailure(
      'expectBodySchema',
      `${what}: body does not match ${ref}: ${ajvProblemText(validate.errors ?? [])}`,
    );
  }
}
