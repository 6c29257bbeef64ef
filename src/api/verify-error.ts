/**
 * An option of `verify()` that cannot be honoured: a value out of range, two options that
 * contradict each other, a file that is not there. The message names the option as the command
 * line spells it (`--credentials FILE`), which is also the option's name in `verify()` without the
 * dashes; `authconform run` prints it and exits 2. It is thrown before any request is sent.
 *
 * @example
 * ```ts
 * import { verify, VerifyOptionError } from 'authconform';
 *
 * try {
 *   await verify({ profile: 'luxcore', target: 'https://staging.example.test' });
 * } catch (e) {
 *   if (!(e instanceof VerifyOptionError)) throw e;
 *   console.error(e.message); // a URL target needs --credentials FILE (...)
 * }
 * ```
 */
export class VerifyOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyOptionError';
  }
}
