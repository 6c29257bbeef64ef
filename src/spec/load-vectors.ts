/**
 * Loads HMAC known-answer vectors and checks each one against the profile's canonicalization:
 * the canonical string, the body hash and the signature must all come out exactly as written.
 */
import type { HmacSigning, Profile } from '../model/profile.ts';
import { SpecError, type SpecProblem } from './spec-error.ts';
import type { YamlSource } from './yaml-source.ts';
import { schemaRegistry, type SchemaRegistry } from './schema-registry.ts';
import { ajvProblems } from './ajv-problems.ts';
import { bodySha256Hex, canonicalString, signatureHeaderValue } from '../sign/hmac-canonical.ts';

export interface HmacVector {
  name: string;
  method: string;
  pathWithQuery: string;
  body: string;
  timestamp: string;
  nonce: string;
  merchant: string;
  secret: string;
  bodySha256Hex?: string;
  canonical: string;
  signature: string;
}

export interface HmacVectors {
  profile: string;
  signing: string;
  vectors: HmacVector[];
}

export function validateVectorsSource(
  source: YamlSource,
  profile: Profile,
  registry: SchemaRegistry = schemaRegistry(),
): HmacVectors {
  const validate = registry.validator('vectors.schema.json');
  if (!validate(source.data))
    throw new SpecError(ajvProblems(source, validate.errors ?? [], source.data));
  const doc = source.data as HmacVectors;
  const entry = profile.signing?.[doc.signing];
  // These vectors are the header HMAC scheme's; other schemes' vectors are in their own folders.
  const signing = entry && (entry.scheme ?? 'hmac') === 'hmac' ? (entry as HmacSigning) : undefined;
  if (!signing) {
    throw new SpecError([
      source.problem(
        ['signing'],
        `profile "${profile.id}" has no header HMAC signing "${doc.signing}"`,
      ),
    ]);
  }
  const problems: SpecProblem[] = [];
  doc.vectors.forEach((v, i) => {
    const canonical = canonicalString(signing, v);
    if (canonical !== v.canonical) {
      problems.push(
        source.problem(
          ['vectors', i, 'canonical'],
          `canonical string differs from the profile's: expected ${JSON.stringify(canonical)}`,
        ),
      );
    }
    if (v.bodySha256Hex !== undefined && v.bodySha256Hex !== bodySha256Hex(v.body)) {
      problems.push(
        source.problem(['vectors', i, 'bodySha256Hex'], `expected ${bodySha256Hex(v.body)}`),
      );
    }
    const signature = signatureHeaderValue(signing, v.secret, v.canonical);
    if (signature !== v.signature) {
      problems.push(
        source.problem(['vectors', i, 'signature'], `signature differs: expected ${signature}`),
      );
    }
  });
  if (problems.length > 0) throw new SpecError(problems);
  return doc;
}
