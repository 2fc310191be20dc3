import type { ExploitSighting } from '../core/types.js';
import type { FeedBatch } from './types.js';

/** Sightings per batch: memory stays bounded however large the feed. */
export const SIGHTING_BATCH = 5000;

type SightingBatch = Extract<FeedBatch, { kind: 'sightings' }>;

/** Collects exploit sightings into batches; the sync service writes each one. */
export interface SightingBatcher {
  /** Queues a sighting; returns the batch to yield when it is full. */
  add(sighting: ExploitSighting): SightingBatch | undefined;
  /** What is queued (the last batch; yielded even empty, so the sync counts what the store holds). */
  drain(): SightingBatch;
  /** The newest `seenAt` among the sightings read. */
  readonly newest: string | undefined;
}

/**
 * Batches of sightings of the given `sources` (the `source` column values this feed writes): the
 * sync service counts the rows of these sources before and after, since repeats are ignored.
 */
export function makeSightingBatcher(sources: readonly string[]): SightingBatcher {
  let batch: ExploitSighting[] = [];
  let newest: string | undefined;
  const drain = (): SightingBatch => {
    const records = batch;
    batch = [];
    return { kind: 'sightings', sources, records };
  };
  return {
    add(sighting) {
      if (newest === undefined || sighting.seenAt > newest) newest = sighting.seenAt;
      batch.push(sighting);
      return batch.length >= SIGHTING_BATCH ? drain() : undefined;
    },
    drain,
    get newest() {
      return newest;
    },
  };
}

/** `YYYY-MM-DD` dates and ISO instants as stored in `seen_at`; undefined when unparseable. */
export function toSeenAt(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  const ms = Date.parse(
    text.replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ?([+-]\d{2}):?(\d{2})$/, '$1T$2$3:$4'),
  );
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** A CVE id in canonical form (`CVE-2021-44228`), or undefined. */
export function toCveId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toUpperCase();
  return /^CVE-\d{4}-\d{4,}$/.test(text) ? text : undefined;
}
