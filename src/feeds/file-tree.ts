import { readFile, stat } from 'node:fs/promises';
import { basename, relative, sep } from 'node:path';
import { FeedTooLargeError } from './errors.js';
import { walkFiles } from './walk-files.js';
import { isZipFile, readZipEntries } from './zip-entries.js';

export { isZipFile };

/** One file of a tree (a directory or a zip archive), read on demand. */
export interface TreeFile {
  /** Path inside the tree, with `/` separators (`2024/CVE-2024-3400.json`). */
  name: string;
  /** Where the file is, for error messages (`dir/2024/x.json` or `all.zip!2024/x.json`). */
  where: string;
  /** The file's text (UTF-8). */
  text(): Promise<string>;
}

/**
 * The files of a directory (recursively, in name order, dot-directories skipped) or of a zip archive
 * whose paths `accept` takes; any other file is a tree of itself (named by its base name, not
 * filtered). A file over `maxBytes` is refused; a truncated or corrupt archive is a FeedError.
 */
export async function* listTreeFiles(
  source: string,
  path: string,
  accept: (name: string) => boolean,
  maxBytes: number,
): AsyncGenerator<TreeFile> {
  const info = await stat(path);
  if (info.isDirectory()) {
    for await (const file of walkFiles(source, path, () => true, maxBytes)) {
      const name = relative(path, file.path).split(sep).join('/');
      if (accept(name)) yield { name, where: file.path, text: () => readFile(file.path, 'utf8') };
    }
  } else if (await isZipFile(path)) {
    for await (const entry of readZipEntries(source, path, { accept, maxEntryBytes: maxBytes })) {
      yield { name: entry.name, where: `${path}!${entry.name}`, text: async () => entry.text };
    }
  } else {
    if (info.size > maxBytes) throw new FeedTooLargeError(source, path, info.size, maxBytes);
    yield { name: basename(path), where: path, text: () => readFile(path, 'utf8') };
  }
}
