/**
 * The scope rules of a profile: which scopes exist, what an alias stands for, and whether a set
 * of held scopes grants a needed one (aliases both ways, `resource:*` wildcards).
 */
import type { Profile, Scopes } from './profile.ts';

/** Every scope the profile knows: its vocabulary, resource x action pairs, and aliases. */
export function scopeVocabulary(scopes: Scopes | undefined): Set<string> {
  const out = new Set<string>(scopes?.vocabulary ?? []);
  const sep = scopes?.separator ?? ':';
  for (const r of scopes?.resources ?? [])
    for (const a of scopes?.actions ?? []) out.add(`${r}${sep}${a}`);
  for (const alias of Object.keys(scopes?.aliases ?? {})) out.add(alias);
  return out;
}

/** Every scope the profile knows, and every scope a route needs (a JWT that holds them all). */
export function everyScope(profile: Profile): string[] {
  const out = scopeVocabulary(profile.scopes);
  for (const r of profile.routes) if (r.scope !== undefined) out.add(r.scope);
  return [...out];
}

/** The canonical name of a scope: an alias resolves to what it stands for. */
export function canonicalScope(scopes: Scopes | undefined, scope: string): string {
  return scopes?.aliases?.[scope] ?? scope;
}

/** True when holding `held` grants `needed`, honouring aliases and the wildcard action. */
export function scopeGrants(
  scopes: Scopes | undefined,
  held: readonly string[],
  needed: string,
): boolean {
  const want = canonicalScope(scopes, needed);
  const sep = scopes?.separator ?? ':';
  for (const h of held) {
    const have = canonicalScope(scopes, h);
    if (have === want) return true;
    if (scopes?.wildcard !== undefined && have.endsWith(sep + scopes.wildcard)) {
      const resource = have.slice(0, -(sep.length + scopes.wildcard.length));
      if (want.startsWith(resource + sep)) return true;
    }
  }
  return false;
}
