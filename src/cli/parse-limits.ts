/**
 * The run's limits as a person writes them: a duration (`--max-time 90`, `90s`, `5m`, `1h`) and a
 * byte size (`--max-body 1048576`, `512k`, `4m`, `4MiB`). Hand-written: `ms` reads a bare number
 * as milliseconds and `bytes` wants `kb`, and both would still need the flag named in the error.
 */
import { UsageError } from './usage-error.ts';

const SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600 };
const BYTES: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Seconds: a positive number, optionally with s, m or h. */
export function parseDuration(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(value.trim().toLowerCase());
  const seconds = m ? Number(m[1]) * SECONDS[m[2]!]! : NaN;
  if (!(seconds > 0))
    throw new UsageError(
      `${flag} must be a duration above 0: seconds, or with s, m or h (90, 90s, 5m, 1h), got "${value}"`,
    );
  return seconds;
}

/** Bytes: a positive whole number, optionally with k, m or g (binary: 512k = 524288). */
export function parseByteSize(value: string, flag: string): number {
  const m = /^(\d+)([kmg]?)(?:i?b)?$/.exec(value.trim().toLowerCase());
  const bytes = m ? Number(m[1]) * BYTES[m[2]!]! : NaN;
  if (!(bytes >= 1) || !Number.isSafeInteger(bytes))
    throw new UsageError(
      `${flag} must be a size of at least 1 byte: bytes, or with k, m or g (65536, 512k, 4m), got "${value}"`,
    );
  return bytes;
}
