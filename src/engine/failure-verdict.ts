/**
 * How a finished fast-check run becomes a verdict, for plain properties and model runs alike:
 * a target that could not be asked is ERROR, a missing role SKIP, a check that did not hold FAIL
 * with the masked exchanges, a curl replay of the last request and fast-check's replay path.
 */
import type { Credentials } from '../model/credentials.ts';
import type { OutgoingRequest, ReceivedResponse } from '../request/outgoing-request.ts';
import { MissingRoleError } from '../request/missing-role-error.ts';
import { TargetLacksError, type Target } from '../targets/target.ts';
import { TargetError } from '../targets/target-error.ts';
import { CheckFailure } from '../check/check-failure.ts';
import { curlCommand } from '../report/curl-command.ts';
import { maskKnownSecrets, secretsOf } from '../secrets/mask-known-secrets.ts';
import type { ExchangeRecord, Verdict } from '../verdict/verdict.ts';

/** One request of a case and its answer (absent when the target could not be asked). */
export interface Exchange {
  req: OutgoingRequest;
  res?: ReceivedResponse;
  label: string;
}

export interface FailingCase {
  /** What was drawn, in words: "GET /x (route id)", or the command sequence of a model run. */
  route: string;
  drawn: Record<string, unknown>;
  exchanges: Exchange[];
}

type Done = (status: Verdict['status'], extra?: Partial<Verdict>) => Verdict;

export function verdictOfRun(
  result: { failed: boolean; errorInstance?: unknown; counterexamplePath?: string | null },
  last: FailingCase | undefined,
  target: Target,
  creds: Credentials,
  obtained: ReadonlySet<string>,
  done: Done,
): Verdict {
  if (!result.failed) return done('PASS');
  const error = result.errorInstance;
  if (error instanceof TargetError)
    return done('ERROR', { reason: `the target could not be asked: ${error.message}` });
  if (error instanceof MissingRoleError || error instanceof TargetLacksError)
    return done('SKIP', { reason: error.message });
  if (!(error instanceof CheckFailure))
    return done('ERROR', { reason: `harness error: ${String((error as Error)?.stack ?? error)}` });
  const secrets = secretsOf(creds, obtained);
  const exchanges: ExchangeRecord[] = (last?.exchanges ?? []).map((x) => ({
    label: x.label,
    request: maskKnownSecrets(
      `${x.req.method} ${x.req.pathWithQuery}\n${Object.entries(x.req.headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n')}${x.req.body !== undefined ? `\n\n${x.req.body}` : ''}`,
      secrets,
    ),
    status: x.res?.status ?? 0,
    // Masked, then cut: a cut first could split an echoed secret and leave its head shown.
    body:
      maskKnownSecrets((x.res?.rawBody ?? '').slice(0, 65_536), secrets).slice(0, 2000) +
      (x.res?.note ? `\n[${maskKnownSecrets(x.res.note, secrets)}]` : ''),
  }));
  const failing = last?.exchanges.at(-1)?.req;
  return done('FAIL', {
    reason: maskKnownSecrets(error.message, secrets),
    counterexample: {
      route: last?.route ?? '?',
      drawn: last?.drawn ?? {},
      exchanges,
      curl: failing ? curlCommand(target.baseUrl, failing, secrets) : '',
      path: result.counterexamplePath ?? '',
    },
  });
}
