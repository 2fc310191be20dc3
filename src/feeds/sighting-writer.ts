import type { ExploitSighting } from '../core/types.js';
import { insertExploitSightings } from '../store/index.js';
import type { SyncContext, SyncResult } from './types.js';

/** Rows per insert batch: memory stays bounded however large the feed. */
export const SIGHTING_BATCH = 5000;

/** Buffers exploit sightings and writes them in batches; `finish` reports what was new. */
export interface SightingWriter {
  add(sighting: ExploitSighting): Promise<void>;
  /** Writes what is left and returns new rows (`records`), the store's total and the newest date. */
  finish(): Promise<SyncResult>;
}

/**
 * A writer for sightings of the given `sources` (the `source` column values this feed writes). New
 * rows are counted by the table's size before and after: repeats are ignored by the store.
 */
export async function makeSightingWriter(
  ctx: SyncContext,
  sources: readonly string[],
): Promise<SightingWriter> {
  const before = await countSightings(ctx, sources);
  let batch: ExploitSighting[] = [];
  let seen = 0;
  let newest: string | undefined;
  const flush = async () => {
    if (batch.length === 0) return;
    await insertExploitSightings(ctx.db, batch);
    seen += batch.length;
    ctx.progress.records(seen);
    batch = [];
  };
  return {
    async add(sighting) {
      if (newest === undefined || sighting.seenAt > newest) newest = sighting.seenAt;
      batch.push(sighting);
      if (batch.length >= SIGHTING_BATCH) await flush();
    },
    async finish() {
      await flush();
      const total = await countSightings(ctx, sources);
      const result: SyncResult = { records: total - before, total, unchanged: total === before };
      if (newest) result.newest = newest;
      return result;
    },
  };
}

async function countSightings(ctx: SyncContext, sources: readonly string[]): Promise<number> {
  const row = await ctx.db
    .selectFrom('exploit_sightings')
    .where('source', 'in', [...sources])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
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
