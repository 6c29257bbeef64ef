/**
 * An example server's data file, parsed once per worker by the example's own loader: a target's
 * reset builds the app anew from its world, and parsing the YAML again at every reset was most
 * of the in-process target tests' time. Each call hands out a copy of its own, so a reset still
 * starts from the file's state.
 */
const parsed = new Map<string, unknown>();

export function exampleWorld<W>(load: (file: string) => W, file: string): W {
  if (!parsed.has(file)) parsed.set(file, load(file));
  return structuredClone(parsed.get(file)) as W;
}
