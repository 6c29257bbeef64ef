/** `signatureVersion`: sign with another version label than the scheme's. N/A where the scheme has no version. */
import { faultStep } from './fault-step.ts';
import { requireSigning } from './route-signing.ts';

export const signatureVersion = faultStep({
  name: 'signatureVersion',
  rebuild(ctx, opts, step) {
    const own = requireSigning(ctx, 'version', 'a signature version').parts.version;
    // Another version than the scheme's, whatever the scenario names (a profile on v0 too).
    const other = step.signatureVersion === own ? `${own}-other` : step.signatureVersion;
    opts.signControls = { ...opts.signControls, versionAs: other };
  },
});
