import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FeedTooLargeError } from './errors.js';

/**
 * Files under `dir` (recursively, in name order, skipping dot-directories such as `.git`) whose names
 * `accept` takes, with their sizes. A file over `maxBytes` is refused before it is read.
 */
export async function* walkFiles(
  source: string,
  dir: string,
  accept: (name: string) => boolean,
  maxBytes: number,
): AsyncGenerator<{ path: string; bytes: number }> {
  const names: Array<{ name: string; isDir: boolean }> = [];
  for await (const entry of await opendir(dir)) {
    if (entry.name.startsWith('.')) continue;
    names.push({ name: entry.name, isDir: entry.isDirectory() });
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, isDir } of names) {
    const path = join(dir, name);
    if (isDir) {
      yield* walkFiles(source, path, accept, maxBytes);
      continue;
    }
    if (!accept(name)) continue;
    const { size } = await stat(path);
    if (size > maxBytes) throw new FeedTooLargeError(source, path, size, maxBytes);
    yield { path, bytes: size };
  }
}
