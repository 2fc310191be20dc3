#!/usr/bin/env node
// patchcast's command. Runs the compiled CLI when the package is built (dist/), else the TypeScript
// sources through tsx, so a fresh checkout works after `npm ci` alone.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
let main;
if (existsSync(compiled)) {
  main = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
process.exitCode = await main.runCli(process.argv.slice(2));
