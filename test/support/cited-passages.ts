/**
 * What a profile's cite quotes from its guide: passages joined by " ... " (words left out) or
 * "; " (another place), each optionally in double quotes, and a closing "(decision: ...)" note
 * that is the profile's own reading where the guide is silent, not a quotation.
 */
export function citedPassages(cite: string): string[] {
  return normalize(cite.replace(/\s*\(decision:[^)]*\)\s*$/, ''))
    .split(/\s*(?:\.\.\.|…|;)\s+/)
    .map((p) => p.replace(/^"/, '').replace(/"$/, '').trim())
    .filter((p) => p.length > 0);
}

/** True when `passage` appears in `guide` word for word (spacing and curly quotes aside). */
export function quotesGuide(guide: string, passage: string): boolean {
  return normalize(guide).includes(normalize(passage));
}

function normalize(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
}
