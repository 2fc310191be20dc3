import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { FeedError } from './errors.js';

/** One file inside a zip archive, read whole (records are small; the archive is not). */
export interface ZipText {
  /** The entry's path inside the archive; for a nested archive `outer.zip!inner/path.json`. */
  name: string;
  text: string;
  /** Compressed bytes, for progress. */
  bytes: number;
}

export interface ZipReadOptions {
  /** Which entries to read (by name); the rest are skipped unread. */
  accept: (name: string) => boolean;
  /** The largest single entry read into memory. */
  maxEntryBytes: number;
  /** The largest nested `.zip` entry, which is extracted to a temporary file (cvelistV5 bulk archives nest one). */
  maxNestedBytes?: number;
}

/** Where an archive is read from, and how its records are named in errors. */
interface Archive {
  source: string;
  /** The file named in errors (the outer archive, for a nested one). */
  file: string;
  /** The archive on disk. */
  path: string;
  /** Prefix of record names: `cves.zip!` inside a nested archive. */
  prefix: string;
}

/**
 * Streams the accepted entries of a zip archive one at a time (yauzl, lazy entries), so memory holds one
 * record whatever the archive's size. A truncated or corrupt archive, or an entry over the size limit,
 * becomes a FeedError naming the archive and the entry.
 */
export function readZipEntries(
  source: string,
  file: string,
  options: ZipReadOptions,
): AsyncGenerator<ZipText> {
  return readArchive({ source, file, path: file, prefix: '' }, options);
}

async function* readArchive(archive: Archive, options: ZipReadOptions): AsyncGenerator<ZipText> {
  const zip = await openZip(archive);
  let failure: Error | undefined;
  zip.on('error', (error: Error) => {
    failure = error;
  });
  try {
    for (;;) {
      const entry = await nextEntry(zip, () => failure).catch((error: Error) => {
        throw fail(archive, 'central directory', `the archive is truncated or corrupt (${error.message})`);
      });
      if (!entry) return;
      const name = entry.fileName;
      if (name.endsWith('/')) continue;
      if (options.maxNestedBytes !== undefined && name.toLowerCase().endsWith('.zip')) {
        yield* readNested(archive, zip, entry, options);
      } else if (options.accept(name)) {
        const text = await readEntryText(archive, zip, entry, options.maxEntryBytes);
        yield { name: archive.prefix + name, text, bytes: entry.compressedSize };
      }
    }
  } finally {
    zip.close();
  }
}

function fail(archive: Archive, record: string, problem: string): FeedError {
  return new FeedError(archive.source, archive.file, archive.prefix + record, problem);
}

async function openZip(archive: Archive): Promise<ZipFile> {
  try {
    return await yauzl.openPromise(archive.path, {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw fail(
      archive,
      'end of central directory',
      `not a readable zip archive; it may be truncated (${(error as Error).message})`,
    );
  }
}

/** The next entry, or undefined at the end; rejects on an archive error. */
function nextEntry(zip: ZipFile, failed: () => Error | undefined): Promise<Entry | undefined> {
  return new Promise((resolve, reject) => {
    const earlier = failed();
    if (earlier) return reject(earlier);
    const settle = (action: () => void) => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
      action();
    };
    const onEntry = (entry: Entry) => settle(() => resolve(entry));
    const onEnd = () => settle(() => resolve(undefined));
    const onError = (error: Error) => settle(() => reject(error));
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

const CORRUPT = 'cannot be read; the archive is truncated or corrupt';

async function openEntry(archive: Archive, zip: ZipFile, entry: Entry): Promise<Readable> {
  try {
    return await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw fail(archive, entry.fileName, `${CORRUPT} (${(error as Error).message})`);
  }
}

async function readEntryText(archive: Archive, zip: ZipFile, entry: Entry, limit: number): Promise<string> {
  if (entry.uncompressedSize > limit) {
    throw fail(
      archive,
      entry.fileName,
      `the entry is ${entry.uncompressedSize} bytes, over the ${limit}-byte limit for one record`,
    );
  }
  const stream = await openEntry(archive, zip, entry);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (error) {
    throw fail(archive, entry.fileName, `${CORRUPT} (${(error as Error).message})`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Extracts a nested archive to a temporary file and reads its entries, named `outer!inner`. */
async function* readNested(
  archive: Archive,
  zip: ZipFile,
  entry: Entry,
  options: ZipReadOptions,
): AsyncGenerator<ZipText> {
  const limit = options.maxNestedBytes ?? 0;
  if (entry.uncompressedSize > limit) {
    throw fail(
      archive,
      entry.fileName,
      `the nested archive is ${entry.uncompressedSize} bytes, over the ${limit}-byte limit`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), `patchcast-${archive.source}-zip-`));
  try {
    const path = join(dir, 'nested.zip');
    const stream = await openEntry(archive, zip, entry);
    await pipeline(stream, createWriteStream(path)).catch((error: Error) => {
      throw fail(archive, entry.fileName, `${CORRUPT} (${error.message})`);
    });
    const inner: Archive = { ...archive, path, prefix: `${archive.prefix}${entry.fileName}!` };
    yield* readArchive(inner, { ...options, maxNestedBytes: undefined });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whether a file starts with a zip local-file header (`PK\x03\x04`). */
export async function isZipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}
