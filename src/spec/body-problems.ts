/** A one-line account of why a JSON body failed its schema: `/error/code: expected "X", found "Y"`. */
import type { ErrorObject } from 'ajv';

export function ajvProblemText(errors: ErrorObject[]): string {
  const relevant = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'allOf'].includes(e.keyword));
  return (relevant.length > 0 ? relevant : errors)
    .slice(0, 3)
    .map((e) => {
      const where = e.instancePath || '(body)';
      const p = e.params as Record<string, unknown>;
      switch (e.keyword) {
        case 'required':
          return `${where}: missing "${String(p.missingProperty)}"`;
        case 'additionalProperties':
          return `${where}: unexpected field "${String(p.additionalProperty)}"`;
        case 'const':
          return `${where}: expected ${JSON.stringify(p.allowedValue)}, found ${JSON.stringify(e.data)}`;
        case 'enum':
          return `${where}: expected one of ${JSON.stringify(p.allowedValues)}, found ${JSON.stringify(e.data)}`;
        case 'type':
          return `${where}: expected ${String(p.type)}, found ${JSON.stringify(e.data)}`;
        default:
          return `${where}: ${e.message ?? e.keyword}`;
      }
    })
    .join('; ');
}
