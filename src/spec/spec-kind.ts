/**
 * What kind of spec a file is: read from its `# yaml-language-server: $schema=...` line (the same
 * line editors use), else from the folder it sits in, else from its top-level fields (a JSON
 * credentials file, as GET /__mock/credentials serves it, has no modeline; a team's scenario
 * file has a `scenarios` list).
 */
import { basename, dirname } from 'node:path';
import { parse } from 'yaml';

export const SPEC_KINDS = ['profile', 'fixtures', 'credentials', 'vectors', 'scenario'] as const;
export type SpecKind = (typeof SPEC_KINDS)[number];

const FOLDER_KIND: Record<string, SpecKind> = {
  profiles: 'profile',
  fixtures: 'fixtures',
  vectors: 'vectors',
  credentials: 'credentials',
  scenarios: 'scenario',
};

export function specKindOf(absPath: string, text: string): SpecKind | undefined {
  const modeline = /^#\s*yaml-language-server:\s*\$schema=(\S+)/m.exec(
    text.split('\n', 5).join('\n'),
  );
  if (modeline) {
    const schemaFile = basename(modeline[1]!);
    const kind = SPEC_KINDS.find((k) => schemaFile === `${k}.schema.json`);
    if (kind) return kind;
  }
  return FOLDER_KIND[basename(dirname(absPath))] ?? kindFromFields(text);
}

function kindFromFields(text: string): SpecKind | undefined {
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  // A team's scenario file, in a folder of any name (`validate my-scenarios/`).
  if (Array.isArray((data as { scenarios?: unknown }).scenarios) && !('profile' in data))
    return 'scenario';
  if (!('profile' in data)) return undefined;
  const fields = Object.keys(data);
  if (fields.includes('roles')) return 'fixtures';
  if (fields.includes('vectors')) return 'vectors';
  if (['keys', 'hmac', 'jwt', 'login', 'resources'].some((f) => fields.includes(f)))
    return 'credentials';
  return undefined;
}
