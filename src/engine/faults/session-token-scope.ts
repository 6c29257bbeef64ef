/** `sessionTokenScope`: a token the target issued for another of its scopes, one that does not grant the route. */
import { sessionTokenOfOtherScope } from '../target-state-steps.ts';
import { faultStep } from './fault-step.ts';

export const sessionTokenScope = faultStep({
  name: 'sessionTokenScope',
  faultTokens: sessionTokenOfOtherScope,
});
