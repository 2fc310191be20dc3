#!/usr/bin/env node
// patchcast's command. Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` and
// `npm pack` run through the `prepare` script), else the TypeScript sources through tsx. Set
// PATCHCAST_FROM_SOURCE=1 to run the sources even when dist/ exists: the tests do, so a stale dist/
// is never what they exercise.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
let main;
if (existsSync(compiled) && process.env.PATCHCAST_FROM_SOURCE !== '1') {
  main = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
await main.runMain(process.argv.slice(2));
