/**
 * A generated profile as YAML text with its TODO questions as comments above the fields they are
 * about, and the merge of a second `init` into a profile already written: every field, route and
 * comment of the existing file stays as the user left it (the `yaml` Document API keeps comments);
 * only what is new in the document (a route, a credential, an error) is added, with its TODOs, and
 * no placeholder the user renamed or removed comes back.
 */
import { Document, Pair, YAMLMap, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
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

/**
 * What one run of `init` generated from the document: the ids of the entries of each named
 * section (credentials, errors...) and of its document lists (routes, the scope vocabulary). A
 * later run adds only what is not in it, what the document gained since, so an entry the user
 * deleted or renamed stays as the user left it.
 */
export type Offered = Partial<Record<string, string[]>>;

export function offeredBy(generated: Document): Offered {
  const offered: Offered = {};
  const record = (key: string, node: unknown) => {
    if (ENTRY_MAPS.has(key) && isMap(node)) offered[key] = node.items.map(keyOf);
    if (DOCUMENT_LISTS.has(key) && isSeq(node))
      offered[key] = node.items.map((n) => String(idOf(n)));
  };
  // The top level's sections, and the lists one level down (the vocabulary of `scopes`).
  const root = generated.contents;
  if (isMap(root))
    for (const pair of root.items) {
      record(keyOf(pair), pair.value);
      if (isMap(pair.value))
        for (const inner of pair.value.items)
          if (DOCUMENT_LISTS.has(keyOf(inner))) record(keyOf(inner), inner.value);
    }
  return offered;
}

const keyOf = (pair: Pair<unknown, unknown>): string =>
  isScalar(pair.key) ? String(pair.key.value) : '';
/** A route's id, or a scope's name. */
const idOf = (n: unknown): unknown => (isMap(n) ? n.get('id') : isScalar(n) ? n.value : undefined);

/**
 * Adds to `existing` what `generated` has and it lacks; never changes a value already there.
 * With `before`, what the run that wrote `existing` generated, only what is not in it is added,
 * and a route added names no credential the user removed since. `notes`: what was left out, why.
 */
export function mergeProfileText(
  existingText: string,
  generated: Document,
  before?: Offered,
): { text: string; notes: string[] } {
  const existing = parseDocument(existingText);
  if (existing.errors.length > 0) throw existing.errors[0]!;
  const into = existing.contents as Node;
  const from = generated.contents as Node;
  const gained = (section: string, id: unknown) => !before?.[section]?.includes(String(id));
  const notes: string[] = [];
  // Credentials the user deleted or renamed: a route the document gained does not name them.
  const mine = isMap(into) ? into.get('credentials') : undefined;
  const removed = new Set(
    (before?.credentials ?? []).filter((id) => !(isMap(mine) && mine.has(id))),
  );
  const fit = (route: unknown): boolean => {
    const auth = isMap(route) ? route.get('auth') : undefined;
    if (!isSeq(auth) || removed.size === 0) return true;
    auth.items = auth.items.filter((c) => !removed.has(String(isScalar(c) ? c.value : c)));
    if (auth.items.length > 0) return true;
    notes.push(
      `operation ${String(idOf(route))} was left out: it takes only credentials the profile no longer has`,
    );
    return false;
  };
  if (isMap(into) && isMap(from)) mergeProfile(into, from, gained, fit);
  else mergeNode(into, from, undefined, gained, fit);
  return { text: existing.toString(PRINT), notes };
}

/** Whether the document gained entry `id` of `section` since the run that wrote the profile. */
type Gained = (section: string, id: unknown) => boolean;
/** Fits a route the document gained to the profile; false where it cannot be added. */
type Fit = (route: unknown) => boolean;

/**
 * Maps of named entries. An entry the profile has stays as the user wrote it (a credential
 * answered as `kind: jwt` gets no `formats` back); one it lacks is added only where it is new
 * to the profile, not a placeholder the user renamed or removed (`isNew`).
 */
const ENTRY_MAPS = new Set(['credentials', 'keyFormats', 'tokens', 'errors', 'denials']);

function mergeProfile(into: YAMLMap, from: YAMLMap, gained: Gained, fit: Fit): void {
  for (const pair of from.items as Pair<Node, Node>[]) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    let mine = into.items.find((p) => isScalar(p.key) && p.key.value === key);
    const created = !mine && ENTRY_MAPS.has(String(key)) && isMap(pair.value);
    if (created) {
      // A section the profile lacks (the user may have deleted it) gets only what is new in it.
      const section = new YAMLMap();
      section.flow = (pair.value as YAMLMap).flow;
      mine = new Pair(pair.key, section) as Pair<Node, Node>;
      into.items.push(mine);
    }
    if (!mine) into.items.push(pair);
    else if (ENTRY_MAPS.has(String(key)) && isMap(mine.value) && isMap(pair.value)) {
      for (const entry of pair.value.items as Pair<Node, Node>[]) {
        const id = isScalar(entry.key) ? String(entry.key.value) : '';
        if (
          !mine.value.has(id) &&
          gained(String(key), id) &&
          isNew(String(key), id, entry.value, into, from)
        )
          mine.value.items.push(entry);
      }
      if (created && mine.value.items.length === 0) into.items.splice(into.items.indexOf(mine), 1);
    } else mergeNode(mine.value as Node, pair.value as Node, key, gained, fit);
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

/** The sections a record of what init offered lists (Offered). */
export const OFFERED_SECTIONS: readonly string[] = [...ENTRY_MAPS, ...DOCUMENT_LISTS];

function mergeNode(into: Node, from: Node, key: unknown, gained: Gained, fit: Fit): void {
  if (isMap(into) && isMap(from)) {
    for (const pair of from.items as Pair<Node, Node>[]) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      const mine = into.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!mine) into.items.push(pair);
      else mergeNode(mine.value as Node, pair.value as Node, key, gained, fit);
    }
  } else if (isSeq(into) && isSeq(from) && DOCUMENT_LISTS.has(String(key))) {
    // Routes are matched by id; the vocabulary gains the scopes it lacks.
    const have = new Set(into.items.map(idOf));
    for (const item of from.items)
      if (
        !have.has(idOf(item)) &&
        gained(String(key), idOf(item)) &&
        (String(key) !== 'routes' || fit(item))
      )
        into.items.push(item);
  }
}
