#!/usr/bin/env node
// Entry point for `npx authconform`: the CLI is TypeScript run through tsx's loader,
// so a fresh clone (or the packed tarball) needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
