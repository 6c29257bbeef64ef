/** A check that did not hold: what was expected and what came back, in words a person can act on. */
export class CheckFailure extends Error {
  constructor(
    readonly check: string,
    message: string,
  ) {
    super(message);
    this.name = 'CheckFailure';
  }
}
