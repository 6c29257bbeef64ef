/**
 * An option of `verify()` that cannot be honoured: a value out of range, two options that
 * contradict each other, a file that is not there. The message names the option as the command
 * line spells it (`--credentials FILE`), which is also the option's name in `verify()` without the
 * dashes; `authconform run` prints it and exits 2.
 */
export class VerifyOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyOptionError';
  }
}
