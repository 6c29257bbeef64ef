/**
 * A generated profile as YAML text with its TODO questions as comments above the fields they are
 * about, and the merge of a second `init` into a profile already written: every field, route and
 * comment of the existing file stays as the user left it (the `yaml` Document API keeps comments);
 * only what is new in the document (a route, a credential, an error) is added, with its TODOs, and
 * no placeholder the user renamed or removed comes back.
 */
import {
  Document,
  Pair,
  Scalar,
  YAMLMap,
  YAMLSeq,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Node,
} from 'yaml';
import type { Todo } from './security-schemes.ts';
import type { DenialReason, Profile } from '../model/profile.ts';
import { DEFAULT_STATUS, reasonsByError } from '../model/derive-errors.ts';
import { scopeVocabulary } from '../model/scope-vocabulary.ts';
import { producedDenials } from '../spec/default-denials.ts';
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
 * What `init` generated from the document: the ids of the entries of each named section
 * (credentials, errors...) and of its document lists (routes, the scope vocabulary), by section
 * (OFFERED_SECTIONS). A later run adds only what is not in it, what the document gained since, so
 * an entry the user deleted or renamed stays as the user left it.
 */
export type Offered = Partial<Record<string, string[]>>;

/** The ids `offered` lists of `section` (its own property: a record is read from a file). */
const offeredIds = (offered: Offered | undefined, section: string): string[] | undefined =>
  offered !== undefined && Object.hasOwn(offered, section) ? offered[section] : undefined;

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
 * A merge: the profile's text, what was left out and why (`notes`), and the record the next run
 * reads (`offered`): what this run generated, and each id of the earlier record that the profile
 * lacks (the user deleted or renamed it), so that a document that drops such an entry and later
 * brings it back does not bring it back into the profile.
 */
export interface Merged {
  text: string;
  notes: string[];
  offered: Offered;
}

/**
 * Adds to `existing` what `generated` has and it lacks; never changes a value already there.
 * With `before`, what the runs that wrote `existing` generated, only what is not in it is added,
 * with what it names (a key format, a token, a scope, the error of a reason it makes the profile
 * give) where the profile lacks it; a route added names a credential the user renamed by its new
 * id, and none the user removed.
 */
export function mergeProfileText(
  existingText: string,
  generated: Document,
  before?: Offered,
): Merged {
  const existing = parseDocument(existingText);
  if (existing.errors.length > 0) throw existing.errors[0]!;
  // Before the merge, which moves the generated entries into the profile.
  const offered = offeredBy(generated);
  const into = existing.contents as Node;
  const from = generated.contents as Node;
  const notes: string[] = [];
  const reasonsBefore = isMap(into) ? reasonsGiven(into) : undefined;
  const ctx: Merge = {
    gained: (section, id) => !offeredIds(before, section)?.includes(String(id)),
    fit: routeFitter(into, from, before, notes),
    errorStatusesNeeded: (profile) => {
      const now = reasonsGiven(profile);
      if (reasonsBefore === undefined || now === undefined) return new Set();
      const denials = (profile.toJSON() as Partial<Profile>).denials ?? {};
      return new Set(
        [...now]
          .filter((r) => !reasonsBefore.has(r) && denials[r] === undefined)
          .map((r) => DEFAULT_STATUS[r]),
      );
    },
  };
  if (isMap(into) && isMap(from)) mergeProfile(into, from, ctx);
  else mergeNode(into, from, undefined, ctx);
  const present = offeredBy(existing);
  for (const section of OFFERED_SECTIONS) {
    const gone = (offeredIds(before, section) ?? []).filter(
      (id) =>
        !offeredIds(present, section)?.includes(id) && !offeredIds(offered, section)?.includes(id),
    );
    if (gone.length > 0) offered[section] = [...(offeredIds(offered, section) ?? []), ...gone];
  }
  return { text: existing.toString(PRINT), notes, offered };
}

interface Merge {
  /** Whether the document gained entry `id` of `section` since the runs that wrote the profile. */
  gained: (section: string, id: unknown) => boolean;
  /** Fits a route the document gained to the profile; false where it cannot be added. */
  fit: (route: unknown) => boolean;
  /** The default statuses of the reasons the profile gives since the merge began, unmapped. */
  errorStatusesNeeded: (profile: YAMLMap) => Set<number>;
}

/** The reasons the profile's routes and features give, or undefined where it cannot be read. */
function reasonsGiven(profile: YAMLMap): Set<DenialReason> | undefined {
  try {
    return new Set(producedDenials(profile.toJSON() as Profile).map((d) => d.reason));
  } catch {
    return undefined;
  }
}

/**
 * Fits a route the document gained to the profile. A credential an earlier run offered that the
 * profile lacks was renamed where exactly one credential of the user's own travels where it does
 * (the same `in` and `name`): the route names that one. Else it was removed: an alternative that
 * sends it is dropped, and the route, where none is left, is left out (said in `notes`). A scope
 * the route needs that the profile does not know is added to the vocabulary.
 */
function routeFitter(
  into: Node,
  from: Node,
  before: Offered | undefined,
  notes: string[],
): Merge['fit'] {
  const mine = isMap(into) ? into.get('credentials') : undefined;
  const theirs = isMap(from) ? from.get('credentials') : undefined;
  const offered = new Set(offeredIds(before, 'credentials') ?? []);
  // Each credential offered before that the profile lacks: its new id, or undefined (removed).
  const renamed = new Map<string, string | undefined>();
  for (const id of offered) {
    if (isMap(mine) && mine.has(id)) continue;
    const wire = wireOf(isMap(theirs) ? theirs.get(id) : undefined);
    const to = isMap(mine)
      ? mine.items.filter((p) => !offered.has(keyOf(p)) && wire && wireOf(p.value) === wire)
      : [];
    renamed.set(id, to.length === 1 ? keyOf(to[0]!) : undefined);
  }
  const now = (id: string) => (renamed.has(id) ? renamed.get(id) : id);
  return (route) => {
    if (!isMap(route)) return true;
    const auth = route.get('auth');
    if (isSeq(auth) && renamed.size > 0) {
      const lacking = new Set<string>();
      auth.items = auth.items.filter((item) => {
        // One credential, or several sent together.
        const sent = (isSeq(item) ? item.items : [item]).filter(isScalar);
        const gone = sent.map((c) => String(c.value)).filter((id) => now(id) === undefined);
        for (const id of gone) lacking.add(id);
        if (gone.length > 0) return false;
        for (const c of sent) c.value = now(String(c.value));
        return true;
      });
      if (auth.items.length === 0) {
        notes.push(
          `operation ${String(idOf(route))} was left out: it takes only credentials the profile no longer has (${[...lacking].join(', ')})`,
        );
        return false;
      }
    }
    const scope = route.get('scope');
    if (typeof scope === 'string' && isMap(into)) knowScope(into, scope);
    return true;
  };
}

/** Where a credential travels: its `in` and its `name` (a header's in lower case). */
function wireOf(node: unknown): string | undefined {
  if (!isMap(node)) return undefined;
  const { in: place, name } = node.toJSON() as { in?: unknown; name?: unknown };
  if (typeof place !== 'string') return undefined;
  const named = typeof name === 'string' ? (place === 'header' ? name.toLowerCase() : name) : '';
  return `${place} ${named}`;
}

/** Adds `scope` to the profile's vocabulary where the profile does not know it. */
function knowScope(profile: YAMLMap, scope: string): void {
  const p = profile.toJSON() as Partial<Profile>;
  const sessionScopes = Object.values(p.tokens ?? {}).flatMap((t) =>
    t?.kind === 'session_token' && Array.isArray(t.scopes) ? t.scopes : [],
  );
  if (scopeVocabulary(p.scopes).has(scope) || sessionScopes.includes(scope)) return;
  const found = profile.get('scopes');
  const scopes = isMap(found) ? found : new YAMLMap();
  if (scopes !== found) {
    // Where init writes it: before the routes.
    scopes.flow = true;
    const routes = profile.items.findIndex((pair) => keyOf(pair) === 'routes');
    const pair = new Pair(new Scalar('scopes'), scopes);
    profile.items.splice(routes < 0 ? profile.items.length : routes, 0, pair);
  }
  const listed = scopes.get('vocabulary');
  const vocabulary = isSeq(listed) ? listed : new YAMLSeq();
  if (vocabulary !== listed) {
    vocabulary.flow = true;
    scopes.set('vocabulary', vocabulary);
  }
  vocabulary.items.push(new Scalar(scope));
}

/**
 * Maps of named entries. An entry the profile has stays as the user wrote it (a credential
 * answered as `kind: jwt` gets no `formats` back); one it lacks is added only where it is new
 * to the profile, not a placeholder the user renamed or removed (`isNew`).
 */
const ENTRY_MAPS = new Set(['credentials', 'keyFormats', 'tokens', 'errors', 'denials']);

function mergeProfile(into: YAMLMap, from: YAMLMap, ctx: Merge): void {
  for (const pair of from.items as Pair<Node, Node>[]) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (!ENTRY_MAPS.has(String(key)) || !isMap(pair.value)) {
      mergePair(into, pair, ctx);
      continue;
    }
    let mine = into.items.find((p) => isScalar(p.key) && p.key.value === key);
    const created = !mine;
    if (!mine) {
      // A section the profile lacks (the user may have deleted it) gets only what is new in it.
      const section = new YAMLMap();
      section.flow = pair.value.flow;
      mine = new Pair(pair.key, section) as Pair<Node, Node>;
      into.items.push(mine);
    }
    if (!isMap(mine.value)) continue;
    // What the document gained brings what it names, whatever the record says: the key format
    // or token of a credential (isNew: one the profile names), the error of a reason a route or
    // credential added makes the profile give.
    const needed = key === 'errors' ? ctx.errorStatusesNeeded(into) : new Set<number | undefined>();
    for (const entry of pair.value.items as Pair<Node, Node>[]) {
      const id = isScalar(entry.key) ? String(entry.key.value) : '';
      const status = isMap(entry.value) ? entry.value.get('status') : undefined;
      const wanted =
        key === 'keyFormats' ||
        key === 'tokens' ||
        ctx.gained(String(key), id) ||
        (typeof status === 'number' && needed.has(status));
      if (!mine.value.has(id) && wanted && isNew(String(key), id, entry.value, into, from))
        mine.value.items.push(entry);
    }
    if (created && mine.value.items.length === 0) into.items.splice(into.items.indexOf(mine), 1);
  }
}

/**
 * Merges one generated field into a map of the profile. One the profile lacks is added as it is,
 * but a list that follows the document (or a map that holds one, `scopes`) the user may have
 * deleted: it gets only what is new in it, and is not written where nothing is.
 */
function mergePair(into: YAMLMap, pair: Pair<Node, Node>, ctx: Merge): void {
  const key = isScalar(pair.key) ? pair.key.value : undefined;
  const mine = into.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (mine) return mergeNode(mine.value as Node, pair.value as Node, key, ctx);
  if (!followsDocument(key, pair.value)) {
    into.items.push(pair);
    return;
  }
  const made = isSeq(pair.value) ? new YAMLSeq() : new YAMLMap();
  made.flow = (pair.value as YAMLSeq | YAMLMap).flow;
  const added = new Pair(pair.key, made) as Pair<Node, Node>;
  into.items.push(added);
  mergeNode(made, pair.value as Node, key, ctx);
  if (made.items.length === 0) into.items.splice(into.items.indexOf(added), 1);
}

function followsDocument(key: unknown, node: unknown): boolean {
  if (isSeq(node)) return DOCUMENT_LISTS.has(String(key));
  return isMap(node) && node.items.some((p) => followsDocument(keyOf(p), p.value));
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

function mergeNode(into: Node, from: Node, key: unknown, ctx: Merge): void {
  if (isMap(into) && isMap(from)) {
    for (const pair of from.items as Pair<Node, Node>[]) mergePair(into, pair, ctx);
  } else if (isSeq(into) && isSeq(from) && DOCUMENT_LISTS.has(String(key))) {
    // Routes are matched by id; the vocabulary gains the scopes it lacks.
    const have = new Set(into.items.map(idOf));
    for (const item of from.items)
      if (
        !have.has(idOf(item)) &&
        ctx.gained(String(key), idOf(item)) &&
        (String(key) !== 'routes' || ctx.fit(item))
      )
        into.items.push(item);
  }
}
