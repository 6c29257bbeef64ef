/** `clientSecret`: the client-credentials token request sent with a wrong client secret. */
import { wrongSecretTokenRequest } from '../../request/client-credentials.ts';
import { faultStep } from './fault-step.ts';

export const clientSecret = faultStep({
  name: 'clientSecret',
  edit: (ctx) => wrongSecretTokenRequest(ctx.profile, ctx.creds, ctx.route),
});
