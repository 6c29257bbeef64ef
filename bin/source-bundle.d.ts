/** See bin/source-bundle.js: the URL of a bundle of the clone's sources as they are now. */
export function sourceBundle(root?: string): Promise<string>;
