import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A directory shared by every test file of this run (see test/support/demo-store.ts). */
    patchcastRunDir: string;
  }
}

/**
 * Gives the run one temporary directory for what test files share (the prepared demo store, built
 * by the first file that asks for it, not here: a run of unrelated files pays nothing), and removes
 * it at the end.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'patchcast-run-'));
  project.provide('patchcastRunDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
