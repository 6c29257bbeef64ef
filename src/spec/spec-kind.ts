/**
 * What kind of spec a YAML file is: read from its `# yaml-language-server: $schema=...` line
 * (the same line editors use), else from the folder it sits in.
 */
import { basename, dirname } from 'node:path';

export const SPEC_KINDS = ['profile', 'fixtures', 'credentials', 'vectors'] as const;
export type SpecKind = (typeof SPEC_KINDS)[number];

const FOLDER_KIND: Record<string, SpecKind> = {
  profiles: 'profile',
  fixtures: 'fixtures',
  vectors: 'vectors',
  credentials: 'credentials',
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
  return FOLDER_KIND[basename(dirname(absPath))];
}
