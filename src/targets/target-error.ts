/** The target could not be asked (refused, reset, timed out): the verdict is ERROR, never PASS. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}
