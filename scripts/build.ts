import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run build` (and `prepare`, so `npm ci` and `npm pack` build too): a clean dist/ compiled from
// src/, plus every runtime file that is not TypeScript (the shipped models, …), so the CLI runs from
// dist/ alone, plus the web dashboard (web/, Vite) in dist/web, which `patchcast serve` serves at /.
// A stale file in dist/ never survives a build.
const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (compiled.status !== 0) {
  console.error('build: tsc failed');
  process.exit(compiled.status ?? 1);
}
const assets = listRuntimeAssets(src);
for (const file of assets) {
  const target = join(dist, relative(src, file));
  mkdirSync(dirname(target), { recursive: true });
  cpSync(file, target);
}
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const web = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'web', 'vite.config.ts')], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (web.status !== 0) {
  console.error('build: vite build of web/ failed');
  process.exit(web.status ?? 1);
}
console.error(
  `build: dist/ compiled, web/ built into dist/web; ${assets.length} runtime assets copied (${assets.map((f) => relative(src, f)).join(', ')})`,
);

/** Files under `dir` the compiled code reads at run time: not TypeScript, not docs, not test fixtures. */
function listRuntimeAssets(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__fixtures__') found.push(...listRuntimeAssets(path));
    } else if (!/\.(ts|md)$/.test(entry.name)) found.push(path);
  }
  return found.sort();
}
