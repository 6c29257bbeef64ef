/** `authconform list [--profile ID|id,id...]`: what each profile says, in one screen per profile. */
import { builtInProfileIds, resolveProfile } from '../spec/builtin-specs.ts';
import type { Profile, Route } from '../model/profile.ts';
import { scopeVocabulary } from '../model/scope-vocabulary.ts';
import type { HmacSigning } from '../model/profile.ts';
import { schemeOf, signingById } from '../sign/signers.ts';
import { parseCommandArgs } from './usage-error.ts';
import { profileList } from './profile-list.ts';
import { schemeWord } from '../request/authorization-scheme.ts';

export function runList(argv: string[], out: NodeJS.WritableStream): number {
  const { values } = parseCommandArgs(argv, { profile: { type: 'string' } });
  const ids = values.profile ? profileList(values.profile) : builtInProfileIds();
  ids.forEach((id, i) => {
    if (i > 0) out.write('\n');
    out.write(describeProfile(resolveProfile(id).profile));
  });
  return 0;
}

export function describeProfile(p: Profile): string {
  const lines: string[] = [];
  lines.push(`${p.id}  ${p.name} (profile ${p.version})`);
  lines.push('  credentials:');
  for (const [id, c] of Object.entries(p.credentials)) {
    const where =
      c.in === 'bearer' || c.in === 'authorization'
        ? `Authorization: ${schemeWord(c)!}`
        : `${c.in} ${c.name}`;
    const also = (c.alsoIn ?? []).map((a) => ` or ${a.in} ${a.name}`).join('');
    lines.push(`    ${id.padEnd(16)} ${c.kind.padEnd(14)} ${where}${also}`);
  }
  const formats = Object.entries(p.keyFormats ?? {});
  if (formats.length > 0) {
    lines.push('  key formats:');
    for (const [id, f] of formats) {
      const env = f.environment ? ` ${f.environment}` : '';
      const bound = f.boundTo && f.boundTo.length > 0 ? ` bound to ${f.boundTo.join('+')}` : '';
      lines.push(`    ${id.padEnd(16)} ${f.prefix.padEnd(14)} ${f.type}${env}${bound}`);
    }
  }
  const bindings = Object.entries(p.bindings ?? {});
  if (bindings.length > 0) {
    lines.push(
      `  bindings: ${bindings.map(([k, b]) => `${k} (${b.from}${b.name ? ' ' + b.name : ''})`).join(', ')}`,
    );
  }
  const vocab = [...scopeVocabulary(p.scopes)];
  if (vocab.length > 0) lines.push(`  scopes (${vocab.length}): ${vocab.join(' ')}`);
  const aliases = Object.entries(p.scopes?.aliases ?? {});
  if (aliases.length > 0)
    lines.push(`  aliases: ${aliases.map(([a, t]) => `${a}=${t}`).join(' ')}`);
  for (const id of Object.keys(p.signing ?? {}))
    lines.push(`  signing ${id}: ${signingSummary(p, id)}`);
  for (const [id, t] of Object.entries(p.tokens ?? {})) {
    const detail =
      t.kind === 'jwt'
        ? `${t.algorithms.join('/')}, ${t.lifetimeSeconds}s`
        : `scopes ${t.scopes.join('/')}, ${t.lifetimeSeconds}s`;
    lines.push(`  token ${id}: ${t.kind} ${detail}`);
  }
  for (const [id, r] of Object.entries(p.rateLimits ?? {})) {
    const burst = r.burst ? ` (burst ${r.burst.limit}/${r.burst.windowSeconds}s)` : '';
    const clock = r.windowStart === 'clock' ? ', windows on the clock' : '';
    lines.push(`  rate ${id}: ${r.limit}/${r.windowSeconds}s per ${r.per}${burst}${clock}`);
  }
  lines.push(`  routes (${p.routes.length}):`);
  const width = Math.max(...p.routes.map((r) => r.path.length));
  for (const r of p.routes)
    lines.push(`    ${r.method.padEnd(6)} ${r.path.padEnd(width)}  ${routeAccess(r)}`);
  return lines.join('\n') + '\n';
}

function routeAccess(r: Route): string {
  const auth =
    r.auth === 'public'
      ? 'public'
      : r.auth.map((a) => (Array.isArray(a) ? a.join('+') : a)).join(' | ');
  const parts = [auth];
  if (r.scope) parts.push(`scope ${r.scope}`);
  if (r.keyTypes) parts.push(`keys ${r.keyTypes.join('/')}`);
  if (r.signing) parts.push(`signed ${r.signing}`);
  return parts.join(', ');
}

/** One line on a signing scheme: what it is and the parts its faults act on. */
function signingSummary(p: Profile, id: string): string {
  const s = signingById(p, id)!;
  const c = s.config;
  const name =
    schemeOf(c) === 'hmac'
      ? `HMAC-${(c as HmacSigning).algorithm.toUpperCase()}${s.parts.version ? ' ' + s.parts.version : ''}`
      : schemeOf(c);
  const t = s.parts.timestamp;
  const n = s.parts.nonce;
  return [
    name,
    t ? `skew ${t.skewSeconds}s` : 'no timestamp',
    n
      ? `nonce ${n.minLength}-${n.maxLength} chars, replay window ${n.replayWindowSeconds}s`
      : 'no nonce',
  ].join(', ');
}
