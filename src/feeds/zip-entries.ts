import { close, createWriteStream, fstat, open as openFd, read } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { inflateRawSync } from 'node:zlib';
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
    const fd = await new Promise<number>((resolve, reject) =>
      openFd(archive.path, 'r', (error, fd) => (error ? reject(error) : resolve(fd))),
    );
    try {
      const size = await new Promise<number>((resolve, reject) =>
        fstat(fd, (error, stats) => (error ? reject(error) : resolve(stats.size))),
      );
      return await yauzl.fromRandomAccessReaderPromise(new ReadAheadReader(fd, size), size, {
        lazyEntries: true,
        autoClose: false,
        validateEntrySizes: true,
      });
    } catch (error) {
      close(fd, () => undefined);
      throw error;
    }
  } catch (error) {
    throw fail(
      archive,
      'end of central directory',
      `not a readable zip archive; it may be truncated (${(error as Error).message})`,
    );
  }
}

/** Bytes read at a time by ReadAheadReader. */
const WINDOW_BYTES = 1024 * 1024;

interface Window {
  start: number;
  bytes: Buffer;
}

/**
 * yauzl's reader over a file descriptor, reading ahead. yauzl asks for each central-directory record,
 * each local header and each entry's data separately: for an archive of small records (OSV's all.zip)
 * that is several reads per record, each a trip through libuv's thread pool. Here they are served from
 * two windows of WINDOW_BYTES (one moving along the central directory, one along the entries), so such
 * an archive costs about one read per MiB. Memory: the two windows, and a range larger than a window
 * (a big nested archive) is streamed from the file as before.
 */
class ReadAheadReader extends yauzl.RandomAccessReader {
  /** Most recently used first. */
  private windows: Window[] = [];

  constructor(
    private readonly fd: number,
    private readonly size: number,
  ) {
    super();
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null, bytesRead?: number) => void,
  ): void {
    this.load(position, length).then(
      (window) => {
        const from = position - window.start;
        const n = Math.max(0, Math.min(length, window.bytes.length - from));
        // A corrupt archive's offsets may point past the end of the file: nothing to copy, and yauzl
        // reports the short read as a truncated archive.
        if (n > 0) window.bytes.copy(buffer, offset, from, from + n);
        callback(null, n);
      },
      (error: Error) => callback(error),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    if (end - start > WINDOW_BYTES) return this.streamRange(start, end);
    const stream = new Readable({ read() {} });
    this.load(start, end - start).then(
      (window) => {
        stream.push(window.bytes.subarray(start - window.start, end - window.start));
        stream.push(null);
      },
      (error: Error) => stream.destroy(error),
    );
    return stream;
  }

  /** A large range streamed in window-sized reads (fs.ReadStream would close the shared descriptor when destroyed). */
  private streamRange(start: number, end: number): Readable {
    const fd = this.fd;
    let position = start;
    return new Readable({
      read() {
        const length = Math.min(WINDOW_BYTES, end - position);
        if (length <= 0) return void this.push(null);
        const bytes = Buffer.allocUnsafe(length);
        read(fd, bytes, 0, length, position, (error, n) => {
          if (error) return void this.destroy(error);
          if (n === 0) return void this.push(null);
          position += n;
          this.push(n === length ? bytes : bytes.subarray(0, n));
        });
      },
    });
  }

  override close(callback: (err: Error | null) => void): void {
    close(this.fd, callback);
  }

  /** A window holding [position, position + length), or as much of it as the file has. */
  private async load(position: number, length: number): Promise<Window> {
    const index = this.windows.findIndex(
      (w) =>
        position >= w.start &&
        (position + length <= w.start + w.bytes.length || w.start + w.bytes.length >= this.size),
    );
    if (index >= 0) {
      const window = this.windows[index] as Window;
      if (index > 0) this.windows = [window, ...this.windows.filter((w) => w !== window)];
      return window;
    }
    const want = Math.max(0, Math.min(Math.max(WINDOW_BYTES, length), this.size - position));
    const bytes = Buffer.allocUnsafe(want);
    let filled = 0;
    while (filled < want) {
      const n = await new Promise<number>((resolve, reject) =>
        read(this.fd, bytes, filled, want - filled, position + filled, (error, count) =>
          error ? reject(error) : resolve(count),
        ),
      );
      if (n === 0) break;
      filled += n;
    }
    const window = { start: position, bytes: filled === want ? bytes : bytes.subarray(0, filled) };
    this.windows = [window, ...this.windows.slice(0, 1)];
    return window;
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

async function openEntry(archive: Archive, zip: ZipFile, entry: Entry, raw = false): Promise<Readable> {
  try {
    return await (raw
      ? zip.openReadStreamPromise(entry, { decompress: false })
      : zip.openReadStreamPromise(entry));
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
  // A deflated record is read raw and inflated in one call: a zlib stream per small record costs more
  // in thread-pool trips than the inflating itself. Other entries go through yauzl's own stream.
  const deflated = entry.compressionMethod === 8 && !entry.isEncrypted();
  const stream = await openEntry(archive, zip, entry, deflated);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    return (deflated ? inflateEntry(bytes, entry.uncompressedSize) : bytes).toString('utf8');
  } catch (error) {
    throw fail(archive, entry.fileName, `${CORRUPT} (${(error as Error).message})`);
  }
}

/** Inflates a record, checking its size as yauzl's validateEntrySizes does (same messages). */
function inflateEntry(deflated: Buffer, expected: number): Buffer {
  let out: Buffer;
  try {
    out = inflateRawSync(deflated, { maxOutputLength: expected + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw error;
    throw new Error(`too many bytes in the stream. expected ${expected}. got at least ${expected + 1}`);
  }
  if (out.length > expected)
    throw new Error(`too many bytes in the stream. expected ${expected}. got at least ${out.length}`);
  if (out.length < expected)
    throw new Error(`not enough bytes in the stream. expected ${expected}. got only ${out.length}`);
  return out;
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
