import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Entries of a mirror directory that a source recognises (exact names or `*` globs), sorted. */
export function findMirrorEntries(dir: string, names: readonly string[]): string[] {
  const entries = readdirSync(dir).sort();
  const found: string[] = [];
  for (const name of names) {
    const pattern = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    for (const entry of entries) if (pattern.test(entry) && !found.includes(entry)) found.push(entry);
  }
  return found
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path, { throwIfNoEntry: false }) !== undefined);
}
