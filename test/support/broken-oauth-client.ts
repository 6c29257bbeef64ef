/**
 * Token endpoints with one mistake, for the OAuth client-credentials family (the Kestrel example,
 * examples/oauth-client-api): each a change to the request as the faulty server would read it,
 * put in front of the correct mock by test/examples/oauth-client-api.test.ts.
 */
import type { Credentials } from '../../src/model/credentials.ts';
import type { OutgoingRequest } from '../../src/request/outgoing-request.ts';

export interface BrokenTokenEndpoint {
  name: string;
  models: string;
  caughtBy: string[];
  /** The request as the faulty server reads it (the credentials' client gives the right secret). */
  mistake: (req: OutgoingRequest, creds: Credentials) => OutgoingRequest;
}

const isTokenRequest = (req: OutgoingRequest) => req.pathWithQuery === '/oauth/token';

export const OAUTH_CLIENT_FAULTS: BrokenTokenEndpoint[] = [
  {
    name: 'client secret not checked',
    models: 'a token endpoint that looks the client up by its id and never compares the secret',
    caughtBy: ['client-secret-wrong'],
    mistake: (req, creds) => {
      const client = creds.client!;
      const auth = req.headers['Authorization'];
      if (!isTokenRequest(req) || auth === undefined) return req;
      const [id] = Buffer.from(auth.slice('Basic '.length), 'base64').toString('utf8').split(':');
      const right = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
      return id === client.id ? { ...req, headers: { ...req.headers, Authorization: right } } : req;
    },
  },
  {
    name: 'requested scope ignored',
    models: "a token endpoint that grants every one of the client's scopes, whatever was asked for",
    caughtBy: ['jwt-scope-denied-obtained'],
    mistake: (req) => {
      if (!isTokenRequest(req) || req.body === undefined) return req;
      const form = new URLSearchParams(req.body);
      form.delete('scope');
      return { ...req, body: form.toString() };
    },
  },
];
