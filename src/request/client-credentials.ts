/**
 * The token request of an OAuth 2.0 client-credentials grant (RFC 6749 §4.4.2): a form-encoded
 * POST of `grant_type=client_credentials` (and `scope`) to the token endpoint, the client
 * authenticated with HTTP Basic over the form-encoded id and secret (§2.3.1, the default every
 * server must support) or with `client_id`/`client_secret` form fields where the profile says so.
 */
import type { Credentials } from '../model/credentials.ts';
import type { JwtToken, Profile, Route } from '../model/profile.ts';
import { MissingRoleError } from './missing-role-error.ts';
import type { OutgoingRequest } from './outgoing-request.ts';

export type ClientCredentialsIssue = NonNullable<JwtToken['issue']> & {
  grant: 'client_credentials';
};

/** Where an answer holds the access token, unless the profile says otherwise (RFC 6749 §5.1). */
export const ACCESS_TOKEN_AT = '/access_token';

/** The profile's client-credentials token whose token endpoint is this route, if any. */
export function clientCredentialsTokenOf(
  profile: Profile,
  route: Route,
): { tokenId: string; issue: ClientCredentialsIssue } | undefined {
  for (const [tokenId, t] of Object.entries(profile.tokens ?? {})) {
    if (t.kind === 'jwt' && t.issue?.grant === 'client_credentials' && t.issue.route === route.id)
      return { tokenId, issue: t.issue as ClientCredentialsIssue };
  }
  return undefined;
}

export interface TokenRequestOptions {
  /** The scope to ask for (space-separated); none: the profile's `issue.scope`, if any. */
  scope?: string;
  /** A secret to present instead of the client's own (a fault). */
  secret?: string;
}

export function clientCredentialsRequest(
  issue: ClientCredentialsIssue,
  creds: Credentials,
  route: Route,
  opts: TokenRequestOptions = {},
): OutgoingRequest {
  const client = creds.client;
  if (!client) throw new MissingRoleError('client (an OAuth client id and secret)');
  const secret = opts.secret ?? client.secret;
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  const scope = issue.scope ?? opts.scope;
  if (scope !== undefined && scope !== '') form.set('scope', scope);
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  if (issue.clientAuth === 'body') {
    form.set('client_id', client.id);
    form.set('client_secret', secret);
  } else {
    // §2.3.1: the id and secret are form-encoded (Appendix B) before they are joined for Basic.
    const pair = `${formEncode(client.id)}:${formEncode(secret)}`;
    headers['Authorization'] = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  }
  return { method: route.method, pathWithQuery: route.path, headers, body: form.toString() };
}

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 Appendix B). */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** The token request of this token endpoint with the client's id and a secret it was not issued. */
export function wrongSecretTokenRequest(
  profile: Profile,
  creds: Credentials,
  route: Route,
): OutgoingRequest {
  const grant = clientCredentialsTokenOf(profile, route);
  if (!grant) throw new MissingRoleError(`a client-credentials token endpoint (not ${route.id})`);
  if (!creds.client) throw new MissingRoleError('client (an OAuth client id and secret)');
  const secret = creds.client.secret;
  const last = secret.at(-1);
  const wrong = secret.slice(0, -1) + (last === 'x' ? 'y' : 'x');
  return clientCredentialsRequest(grant.issue, creds, route, { secret: wrong });
}
