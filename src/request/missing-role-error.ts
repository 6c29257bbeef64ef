/**
 * A request cannot be built because the credentials lack something it needs (a key role, a
 * resource, a signing secret): the scenario is SKIPPED with this role as the reason, never passed.
 */
export class MissingRoleError extends Error {
  constructor(readonly role: string) {
    super(`the credentials have no ${role}`);
    this.name = 'MissingRoleError';
  }
}
