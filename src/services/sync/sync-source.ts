import { toPatchcastError } from '../../core/errors.js';
import type { FeedState, SyncOutcome } from '../../core/types.js';
import {
  type FeedProgress,
  type FeedSource,
  findMirrorEntries,
  type HttpClient,
  makeHttpClient,
  SILENT_PROGRESS,
} from '../../feeds/index.js';
import { loadFeedState, type Store, saveFeedState } from '../../store/index.js';
import { type SyncResult, writeFeedBatches } from './write-feed-batches.js';

export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024 * 1024;

export interface SyncOptions {
  /** A URL, file or directory to read instead of the source's public URL. */
  from?: string;
  /** A mirror directory: the source reads the entries it recognises there, and is skipped when there are none. */
  offlineDir?: string;
  http?: HttpClient;
  progress?: FeedProgress;
  now?: Date;
  maxBytes?: number;
}

export interface SyncReport {
  source: string;
  locations: string[];
  outcome: SyncOutcome | 'skipped';
  records: number;
  newest?: string;
  seconds: number;
  message?: string;
}

/**
 * Syncs one source in one transaction: the source reads its locations and yields parsed batches,
 * written here through the store's repositories; every record lands, or none does. A failure is
 * recorded in the source's sync state (outside the rolled-back transaction) and rethrown.
 */
export async function syncSource(
  store: Store,
  source: FeedSource,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const locations = resolveLocations(source, options);
  if (locations.length === 0)
    return { source: source.id, locations, outcome: 'skipped', records: 0, seconds: 0 };
  const previous = await loadFeedState(store.db, source.id);
  const http = options.http ?? makeHttpClient();
  try {
    const { state, written } = await store.db.transaction().execute(async (trx) => {
      let merged: SyncResult = { records: 0, unchanged: true };
      for (const location of locations) {
        const result = await writeFeedBatches(trx, source, {
          location,
          state: previous,
          http,
          progress: options.progress ?? SILENT_PROGRESS,
          now,
          maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
        });
        merged = mergeResults(merged, result);
      }
      const next = nextState(source.id, previous, merged, now);
      await saveFeedState(trx, next);
      return { state: next, written: merged.unchanged ? 0 : merged.records };
    });
    const report: SyncReport = {
      source: source.id,
      locations,
      outcome: state.outcome ?? 'ok',
      records: written,
      seconds: (Date.now() - started) / 1000,
    };
    if (state.newest) report.newest = state.newest;
    return report;
  } catch (error) {
    const coded = toPatchcastError(error);
    await saveFeedState(store.db, {
      ...(previous ?? { source: source.id, records: 0 }),
      lastSync: now.toISOString(),
      outcome: 'failed',
      message: coded.message,
    });
    throw coded;
  }
}

function resolveLocations(source: FeedSource, options: SyncOptions): string[] {
  if (options.from) return [options.from];
  if (options.offlineDir) return findMirrorEntries(options.offlineDir, source.mirrorNames);
  return source.defaultUrl ? [source.defaultUrl] : [];
}

function mergeResults(a: SyncResult, b: SyncResult): SyncResult {
  const merged: SyncResult = {
    records: a.records + b.records,
    unchanged: Boolean(a.unchanged && b.unchanged),
  };
  const total = b.total ?? a.total;
  if (total !== undefined) merged.total = total;
  const newest = maxOf(a.newest, b.newest);
  const cursor = maxOf(a.cursor, b.cursor);
  if (newest) merged.newest = newest;
  if (cursor) merged.cursor = cursor;
  const etag = b.etag ?? a.etag;
  const lastModified = b.lastModified ?? a.lastModified;
  if (etag) merged.etag = etag;
  if (lastModified) merged.lastModified = lastModified;
  return merged;
}

function maxOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

/** The state after a successful sync; `records` counts what the source holds in total so far. */
function nextState(
  source: string,
  previous: FeedState | undefined,
  result: SyncResult,
  now: Date,
): FeedState {
  const state: FeedState = {
    ...(previous ?? { source, records: 0 }),
    source,
    records: result.total ?? (previous?.records ?? 0) + (result.unchanged ? 0 : result.records),
    lastSync: now.toISOString(),
    outcome: result.unchanged ? 'unchanged' : 'ok',
  };
  delete state.message;
  const newest = maxOf(previous?.newest, result.newest);
  const cursor = maxOf(previous?.cursor, result.cursor);
  if (newest) state.newest = newest;
  if (cursor) state.cursor = cursor;
  if (result.etag) state.etag = result.etag;
  if (result.lastModified) state.lastModified = result.lastModified;
  return state;
}
