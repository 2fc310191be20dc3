import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The real data snapshot shipped in the package (data/snapshot, built by scripts/build-snapshot.ts). */
export const SNAPSHOT_DIR = fileURLToPath(new URL('../../data/snapshot/', import.meta.url));

export function hasBundledSnapshot(): boolean {
  return existsSync(SNAPSHOT_DIR);
}
