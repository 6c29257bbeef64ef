// Types of bookshelf-server.mjs, for the test that runs the tutorial (test/readme/docs-commands.test.ts).
import type { Server } from 'node:http';
export declare const ISSUED_KEYS: Set<string>;
export declare function createBookshelfServer(): Server;
