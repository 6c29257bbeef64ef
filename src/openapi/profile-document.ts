/**
 * A generated profile as YAML text with its TODO questions as comments above the fields they are
 * about, and the merge of a second `init` into a profile already written: every field, route and
 * comment of the existing file stays as the user left it (the `yaml` Document API keeps comments);
 * only what is new in the document (a route, a credential, an error) is added, with its TODOs, and
 * no placeholder the user renamed or removed comes back.
 */
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { Todo } from './security-schemes.ts';
import type { Profile } from '../model/profile.ts';
import { DEFAULT_STATUS, reasonsByError } from '../model/derive-errors.ts';
import { compactDocument, PRINT } from './compact-yaml.ts';

export const TODO_MARK = 'TODO(authconform):';

export function profileDocument(
  profile: Record<string, unknown>,
  todos: Todo[],
  header: string,
): Document {
  const doc = new Document(profile);
  doc.commentBefore = header;
  for (const todo of todos) {
    const comment = ` ${TODO_MARK} ${todo.question}`;
    const holder = commentHolder(doc, todo.path);
    if (holder)
      holder.commentBefore = holder.commentBefore ? `${holder.commentBefore}\n${comment}` : comment;
  }
  // After the comments: what holds one stays in blocks.
  return compactDocument(doc);
}

/** The node a comment above `path` attaches to: a map entry's key, or a list item. */
function commentHolder(doc: Document, path: Todo['path']): Node | undefined {
  // A field the profile left out (an error's body, when the error shape renders it) takes its
  // question above the nearest field that is there.
  for (let n = path.length; n > 0; n--) {
    const holder = holderAt(doc, path.slice(0, n));
    if (holder) return holder;
  }
  return undefined;
}

function holderAt(doc: Document, path: Todo['path']): Node | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = (parent as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === last);
    return pair?.key as Node | undefined;
  }
  if (isSeq(parent)) return parent.items[Number(last)] as Node | undefined;
  return undefined;
}

/** Adds to `existing` what `generated` has and it lacks; never changes a value already there. */
export function mergeProfileText(existingText: string, generated: Document): string {
  const existing = parseDocument(existingText);
  if (existing.errors.length > 0) throw existing.errors[0]!;
  const into = existing.contents as Node;
  const from = generated.contents as Node;
  if (isMap(into) && isMap(from)) mergeProfile(into, from);
  else mergeNode(into, from, undefined);
  return existing.toString(PRINT);
}

/**
 * Maps of named entries. An entry the profile has stays as the user wrote it (a credential
 * answered as `kind: jwt` gets no `formats` back); one it lacks is added only where it is new
 * to the profile, not a placeholder the user renamed or removed (`isNew`).
 */
const ENTRY_MAPS = new Set(['credentials', 'keyFormats', 'tokens', 'errors', 'denials']);

function mergeProfile(into: YAMLMap, from: YAMLMap): void {
  for (const pair of from.items as Pair<Node, Node>[]) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    const mine = into.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (!mine) into.items.push(pair);
    else if (ENTRY_MAPS.has(String(key)) && isMap(mine.value) && isMap(pair.value)) {
      for (const entry of pair.value.items as Pair<Node, Node>[]) {
        const id = isScalar(entry.key) ? String(entry.key.value) : '';
        if (!mine.value.has(id) && isNew(String(key), id, entry.value, into, from))
          mine.value.items.push(entry);
      }
    } else mergeNode(mine.value as Node, pair.value as Node, key);
  }
}

/**
 * Whether a generated entry of `section` the profile lacks is new to it: a scheme the document
 * gained, the key format or token a credential of the profile names, an error of a status no
 * error of the profile has (its own, or its denials' default) or that answers a denial the
 * profile does not map (a token endpoint's invalid_client), a denial naming an error it has.
 */
function isNew(
  section: string,
  id: string,
  entry: Node | null,
  profile: YAMLMap,
  generated: YAMLMap,
): boolean {
  const p = profile.toJSON() as Partial<Profile>;
  const credentials = Object.values(p.credentials ?? {}) as {
    formats?: string[];
    token?: string;
  }[];
  const errors = p.errors ?? {};
  const value = entry?.toJSON() as unknown;
  switch (section) {
    case 'keyFormats':
      return credentials.some((c) => c.formats?.includes(id));
    case 'tokens':
      return credentials.some((c) => c.token === id);
    case 'errors': {
      const status = (value as { status?: number } | null)?.status;
      const named = reasonsByError({ denials: p.denials ?? {} } as Profile);
      const statusOf = (errorId: string) => {
        const defaults = new Set((named.get(errorId) ?? []).map((r) => DEFAULT_STATUS[r]));
        return errors[errorId]?.status ?? (defaults.size === 1 ? [...defaults][0] : undefined);
      };
      const answers = reasonsByError(generated.toJSON() as Profile).get(id) ?? [];
      return (
        status === undefined ||
        answers.some((r) => p.denials?.[r] === undefined) ||
        !Object.keys(errors).some((e) => statusOf(e) === status)
      );
    }
    case 'denials': {
      const ids = typeof value === 'string' ? [value] : Object.values(value ?? {});
      return ids.every((e) => typeof e === 'string' && Object.hasOwn(errors, e));
    }
    default:
      return true;
  }
}

/**
 * Lists that follow the document: its operations and its scopes. Any other list is an answer or
 * the user's own (algorithms: [RS256] in place of the placeholder HS256, an example's items).
 */
const DOCUMENT_LISTS = new Set(['routes', 'vocabulary']);

function mergeNode(into: Node, from: Node, key: unknown): void {
  if (isMap(into) && isMap(from)) {
    for (const pair of from.items as Pair<Node, Node>[]) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      const mine = into.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!mine) into.items.push(pair);
      else mergeNode(mine.value as Node, pair.value as Node, key);
    }
  } else if (isSeq(into) && isSeq(from) && DOCUMENT_LISTS.has(String(key))) {
    // Routes are matched by id; the vocabulary gains the scopes it lacks.
    const idOf = (n: unknown) => (isMap(n) ? n.get('id') : isScalar(n) ? n.value : undefined);
    const have = new Set(into.items.map(idOf));
    for (const item of from.items) if (!have.has(idOf(item))) into.items.push(item);
  }
}
