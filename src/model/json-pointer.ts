/**
 * The value a JSON Pointer (RFC 6901) names in a parsed document, or undefined where the path
 * does not exist. The profile names places in response bodies with pointers (a token's
 * `tokenAt`, a created record's `idAt`, a binding's `resolvedAt`, a list's `listAt`), so the
 * engine and the checks read them through this one function.
 */
export function jsonPointer(doc: unknown, ptr: string): unknown {
  return ptr
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (cur, seg) =>
        cur === null || typeof cur !== 'object' ? undefined : (cur as Record<string, unknown>)[seg],
      doc,
    );
}
