/** The same header name in any mix of upper and lower case (header names are case-insensitive). */
import fc from 'fast-check';

export function arbHeaderCase(name: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((ups) => [...name].map((c, i) => (ups[i] ? c.toUpperCase() : c.toLowerCase())).join(''))
    .filter((n) => n !== name);
}
