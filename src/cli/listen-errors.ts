/**
 * `mock --host/--port` mistakes as one line naming the flag: a host that is no address or name
 * (checked before Hapi's own check, which throws a page of Joi annotations), and the errors
 * node gives when it cannot listen (port taken, privileged port, address not on this machine).
 */
import { isIP } from 'node:net';
import { UsageError } from './usage-error.ts';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** An IP address, or a host name whose last label is not all digits (999.1.1.1 is neither). */
export function checkListenHost(host: string): void {
  if (isIP(host) !== 0) return;
  const labels = host.replace(/\.$/, '').split('.');
  const name =
    host.length <= 253 && labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels.at(-1)!);
  if (!name)
    throw new UsageError(
      `--host must be an IP address or a host name of this machine (127.0.0.1, 0.0.0.0, ::1, localhost), got "${host}"`,
    );
}

/** The UsageError for a failure to listen, or undefined when it is something else (a bug). */
export function listenUsageError(err: unknown, host: string, port: number): UsageError | undefined {
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return new UsageError(
        `port ${port} on ${host} is in use; pick another with --port (0 = any free port)`,
      );
    case 'EACCES':
      return new UsageError(
        `port ${port} on ${host} needs privileges this user lacks; pick another with --port (above 1023, or 0 = any free port)`,
      );
    case 'EADDRNOTAVAIL':
      return new UsageError(
        `--host ${host} is not an address of this machine (EADDRNOTAVAIL); use 127.0.0.1, 0.0.0.0 or an address of one of its interfaces`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return new UsageError(
        `--host ${host} does not resolve to an address of this machine (${(err as NodeJS.ErrnoException).code})`,
      );
    default:
      return undefined;
  }
}
