/**
 * The YAML `init` writes, printed the way a person keeps it short (and the way the profiles in
 * docs/ are written; prettier keeps it so): on one line where it fits in WIDTH columns, a list of
 * plain values (`auth: [apiKey]`), a small map of them (`key: {prefix: bk_, pattern: ..., type:
 * secret}`), and a body (an `example`, a `requestBody`, an error `body`: JSON data) whatever its
 * depth. What nests (a route, a token with its claims) stays in blocks, and nothing that carries
 * a comment is folded into a line.
 */
import {
  Document,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type ToStringOptions,
} from 'yaml';

/** The options every YAML file `init` writes is printed with. */
export const PRINT: ToStringOptions = { lineWidth: 0, flowCollectionPadding: false };

const WIDTH = 100;
/** Fields whose value is a body: JSON data, not profile structure. */
const BODY_FIELDS = new Set(['example', 'requestBody', 'body']);

/** Marks as flow (one line) the lists of plain values and the bodies of `doc` that fit. */
export function compactDocument(doc: Document): Document {
  if (isCollection(doc.contents)) compact(doc.contents, 0, false);
  return doc;
}

/** `indent`: the column the collection's keys (a map) or dashes (a list) start at. */
function compact(node: Node, indent: number, inBody: boolean): void {
  if (isMap(node))
    for (const pair of node.items) {
      const value = pair.value as Node | null;
      if (!isCollection(value)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const body = inBody || BODY_FIELDS.has(key);
      const at = indent + key.length + 2; // "key: "
      if ((body || small(value)) && fits(value, at)) value.flow = true;
      else compact(value, indent + 2, body);
    }
  else if (isSeq(node))
    for (const item of node.items as Node[]) {
      if (!isCollection(item)) continue;
      if ((inBody || small(item)) && fits(item, indent + 2)) item.flow = true;
      else compact(item, indent + 2, inBody);
    }
}

/** A list of plain values, or a map of plain values and such lists. */
function small(node: Node): boolean {
  const plainList = (n: unknown) => isSeq(n) && n.items.every((i) => isScalar(i));
  if (isMap(node)) return node.items.every((p) => isScalar(p.value) || plainList(p.value));
  return plainList(node);
}

/** The collection, on one line after `at` columns, ends within WIDTH; and holds no comment. */
function fits(node: Node, at: number): boolean {
  if (commented(node)) return false;
  const one = node.clone() as Node & { flow?: boolean };
  one.flow = true;
  const line = new Document(one).toString(PRINT).trimEnd();
  return !line.includes('\n') && at + line.length <= WIDTH;
}

function commented(node: Node | null): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (node.commentBefore || node.comment) return true;
  if (isMap(node))
    return node.items.some((p) => commented(p.key as Node) || commented(p.value as Node));
  if (isSeq(node)) return node.items.some((i) => commented(i as Node));
  return false;
}
