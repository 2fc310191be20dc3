import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { PatchcastError } from '../core/errors.js';
import { FeedError, FeedTooLargeError } from './errors.js';
import type { FeedOutcome, FeedRead, SyncContext } from './types.js';

/** A local file to read, or word that the remote copy has not changed since the last sync. */
export type Opened =
  | { unchanged: true }
  | {
      unchanged: false;
      path: string;
      isDirectory: boolean;
      etag?: string;
      lastModified?: string;
      cleanup(): Promise<void>;
    };

export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/**
 * Makes `ctx.location` a local path: downloads a URL (conditional on the last sync's validators) or
 * checks a local file's size. Callers must `cleanup()` when done.
 */
export async function openLocation(ctx: SyncContext, source: string): Promise<Opened> {
  if (isUrl(ctx.location)) {
    const download = await ctx.http.download(ctx.location, {
      source,
      etag: ctx.state?.etag,
      lastModified: ctx.state?.lastModified,
      maxBytes: ctx.maxBytes,
      onBytes: (n) => ctx.progress.advance(n),
      onTotal: (n) => ctx.progress.setTotal(n, 'bytes'),
    });
    if (download.notModified) return { unchanged: true };
    const opened: Opened = {
      unchanged: false,
      path: download.path,
      isDirectory: false,
      cleanup: download.cleanup,
    };
    if (download.etag) opened.etag = download.etag;
    if (download.lastModified) opened.lastModified = download.lastModified;
    return opened;
  }
  const info = await stat(ctx.location).catch((error: unknown) => {
    throw new PatchcastError(
      'INPUT_NOT_FOUND',
      `${source}: ${ctx.location} cannot be read: ${(error as Error).message}`,
      {
        details: { source, file: ctx.location },
      },
    );
  });
  if (info.isFile() && info.size > ctx.maxBytes)
    throw new FeedTooLargeError(source, ctx.location, info.size, ctx.maxBytes);
  if (info.isFile()) ctx.progress.setTotal(info.size, 'bytes');
  return {
    unchanged: false,
    path: ctx.location,
    isDirectory: info.isDirectory(),
    cleanup: async () => undefined,
  };
}

/**
 * Opens `ctx.location` (downloading a URL conditionally), reads the local path with `read` (yielding
 * its batches) and passes the HTTP validators on; a 304 yields nothing and is an unchanged outcome.
 * The download is cleaned up either way, also when the sync stops reading after a failed write.
 */
export async function* readLocation(
  ctx: SyncContext,
  source: string,
  read: (path: string, isDirectory: boolean) => FeedRead,
): FeedRead {
  const opened = await openLocation(ctx, source);
  if (opened.unchanged) return { unchanged: true };
  try {
    const outcome: FeedOutcome = yield* read(opened.path, opened.isDirectory);
    if (opened.etag) outcome.etag = opened.etag;
    if (opened.lastModified) outcome.lastModified = opened.lastModified;
    return outcome;
  } finally {
    await opened.cleanup();
  }
}

/** Whether a file starts with the gzip magic bytes. */
export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** A byte stream of the file, gunzipped when it is gzip; `onBytes` sees the raw bytes read. */
export async function openTextStream(path: string, onBytes?: (n: number) => void): Promise<Readable> {
  const gzip = await isGzipFile(path);
  const raw = createReadStream(path);
  const out = gzip ? raw.pipe(createGunzip()) : raw;
  if (gzip) raw.on('error', (error) => out.destroy(error));
  // Counted after piping: a 'data' listener added earlier would start the flow before the pipe exists.
  if (onBytes) raw.on('data', (chunk) => onBytes(chunk.length));
  return out;
}

/**
 * Lines of a (possibly gzipped) text file with their 1-based numbers. A truncated or corrupt gzip
 * stream becomes a FeedError naming the file and the last line read.
 */
export async function* readLines(
  source: string,
  path: string,
  onBytes?: (n: number) => void,
): AsyncGenerator<[string, number]> {
  const stream = await openTextStream(path, onBytes);
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
    lines.close();
  });
  try {
    for await (const line of lines) {
      n++;
      yield [line, n];
    }
  } catch (error) {
    failure ??= error as Error;
  }
  if (failure)
    throw new FeedError(
      source,
      path,
      `after line ${n}`,
      `the file is truncated or corrupt (${failure.message})`,
    );
}
