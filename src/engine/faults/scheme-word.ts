/** `schemeWord`: the Authorization scheme word replaced (another letter case, another word, none). */
import { withSchemeWord } from '../authorization-faults.ts';
import { drawnValue, faultStep } from './fault-step.ts';

export const schemeWord = faultStep({
  name: 'schemeWord',
  edit: (ctx, req, step) =>
    withSchemeWord(ctx.route, req, String(drawnValue(ctx, step.schemeWord))),
});
