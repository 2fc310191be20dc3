import { stat } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import pick from 'stream-json/filters/pick.js';
import streamArray from 'stream-json/streamers/stream-array.js';
import type { ExploitSighting } from '../../core/types.js';
import { FeedError } from '../errors.js';
import { isZipFile, listTreeFiles } from '../file-tree.js';
import { openTextStream, readLocation } from '../resource.js';
import { makeSightingBatcher, type SightingBatcher } from '../sighting-batches.js';
import type { FeedBatch, FeedRead, FeedSource, SyncContext } from '../types.js';
import { addObject, makeBundleIndex, resolveSightings } from './bundle.js';

const SOURCE = 'stix';

/**
 * STIX 2.1 bundles (`{type: 'bundle', objects: […]}`) as generic threat intel: `vulnerability`
 * objects naming CVEs, the `relationship`s (exploits, targets, indicates) that tie malware, actors,
 * tools and indicators to them, and `sighting`s of either. A file, a directory or a zip of bundles.
 */
export const stixSource: FeedSource = {
  id: SOURCE,
  description: 'STIX 2.1 bundles: exploitation of CVEs stated by relationships and sightings',
  // Threat intel comes from the user's own providers: synced only with --from or --offline.
  defaultUrl: null,
  mirrorNames: ['stix', '*.stix.json', 'stix-*.json'],
  read: (ctx) => readLocation(ctx, SOURCE, (path, isDirectory) => readBundles(ctx, path, isDirectory)),
};

/**
 * The largest bundle read from a directory or a zip archive, where a bundle is read whole (a single
 * file is streamed). MITRE ATT&CK's enterprise bundle is about 45 MB; a zip entry stating gigabytes is
 * a zip bomb, refused before it is inflated.
 */
export const MAX_STIX_BUNDLE_BYTES = 256 * 1024 * 1024;

async function* readBundles(ctx: SyncContext, path: string, isDirectory: boolean): FeedRead {
  const batcher = makeSightingBatcher([SOURCE]);
  const tree = isDirectory || ((await stat(path)).isFile() && (await isZipFile(path)));
  if (!tree) {
    yield* readBundle(batcher, path, await openTextStream(path, (n) => ctx.progress.advance(n)));
    yield batcher.drain();
    return batcher.newest ? { newest: batcher.newest } : {};
  }
  let files = 0;
  const limit = Math.min(ctx.maxBytes, MAX_STIX_BUNDLE_BYTES);
  for await (const file of listTreeFiles(SOURCE, path, (name) => /\.json$/i.test(name), limit)) {
    const text = await file.text();
    ctx.progress.advance(text.length);
    yield* readBundle(batcher, file.where, Readable.from([text]));
    files++;
  }
  if (files === 0) throw new FeedError(SOURCE, path, undefined, 'no .json bundles found');
  yield batcher.drain();
  return batcher.newest ? { newest: batcher.newest } : {};
}

/** Reads one bundle and yields its sightings as the batches fill. */
async function* readBundle(
  batcher: SightingBatcher,
  file: string,
  input: Readable,
): AsyncGenerator<FeedBatch, void, undefined> {
  for (const sighting of await readStixBundle(file, input)) {
    const full = batcher.add(sighting);
    if (full) yield full;
  }
}

/**
 * The exploit sightings one bundle states. Streams the bundle's objects (memory holds only the few
 * fields kept); bad JSON, an object failing its schema or a bundle without objects is a FeedError
 * naming the file and the object.
 */
export async function readStixBundle(file: string, input: Readable): Promise<ExploitSighting[]> {
  const index = makeBundleIndex();
  const objects = pipeline(
    input,
    pick.withParserAsStream({ filter: 'objects' }),
    streamArray.asStream(),
    () => undefined,
  );
  try {
    for await (const { key, value } of objects as AsyncIterable<{ key: number; value: unknown }>) {
      const problem = addObject(index, value);
      if (problem) throw new FeedError(SOURCE, file, `objects[${key}]${describeObject(value)}`, problem);
    }
  } catch (error) {
    if (error instanceof FeedError) throw error;
    throw new FeedError(
      SOURCE,
      file,
      `after objects[${index.objects - 1}]`,
      `not a readable STIX bundle (${(error as Error).message}); the file may be truncated`,
    );
  }
  if (index.objects === 0)
    throw new FeedError(
      SOURCE,
      file,
      undefined,
      'not a STIX bundle: no objects array',
      'Expected {"type": "bundle", "objects": [...]}.',
    );
  return resolveSightings(index, file.split('/').pop() ?? file);
}

function describeObject(value: unknown): string {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? ` ${id}` : '';
}
