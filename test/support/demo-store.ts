/**
 * One prepared demo store per test run: what `patchcast run` builds on an empty store (the bundled
 * snapshot synced, the demo fleet imported, matched, scored and policed). The first test file that
 * asks builds it; the others wait for it and copy it, instead of each paying for a whole first run
 * (about a minute on a busy 2-core machine). Files that test the first run itself still run it.
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { runPatchcastInProcess } from './cli-in-process.js';

const BUILD_LIMIT_MS = 10 * 60_000;

/** Copies the prepared demo store into `home` (a PATCHCAST_HOME, e.g. `<dir>/.patchcast`). */
export async function copyDemoStore(home: string): Promise<void> {
  cpSync(await getDemoStore(), home, { recursive: true });
}

/** The prepared demo store's home directory, building it once per run. */
async function getDemoStore(): Promise<string> {
  const root = join(inject('patchcastRunDir'), 'demo-store');
  const home = join(root, 'home');
  const ready = join(root, 'READY');
  const failed = join(root, 'FAILED');
  try {
    mkdirSync(root); // atomic: exactly one file builds
  } catch {
    return waitFor(ready, failed, home);
  }
  const result = await runPatchcastInProcess(['run', '--demo'], { home });
  if (result.code !== 0) {
    writeFileSync(failed, result.stderr);
    throw new Error(`preparing the demo store failed: ${result.stderr}`);
  }
  writeFileSync(ready, '');
  return home;
}

async function waitFor(ready: string, failed: string, home: string): Promise<string> {
  for (const started = Date.now(); Date.now() - started < BUILD_LIMIT_MS; await sleep(250)) {
    if (existsSync(ready)) return home;
    if (existsSync(failed)) throw new Error(`preparing the demo store failed (see ${failed})`);
  }
  throw new Error(`the demo store was not ready after ${BUILD_LIMIT_MS / 60_000} minutes`);
}
