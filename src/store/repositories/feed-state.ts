import type { FeedState } from '../../core/types.js';
import { type Db, definedOnly, orNull } from '../rows.js';
import type { FeedStateTable } from '../schema.js';

export async function loadFeedState(db: Db, source: string): Promise<FeedState | undefined> {
  const row = await db.selectFrom('feed_state').selectAll().where('source', '=', source).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function listFeedStates(db: Db): Promise<FeedState[]> {
  return (await db.selectFrom('feed_state').selectAll().orderBy('source').execute()).map(fromRow);
}

/** The newest record date any synced source holds (its UTC day), or null before the first sync. */
export async function loadNewestDataDay(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('feed_state')
    .select((eb) => eb.fn.max('newest').as('newest'))
    .executeTakeFirst();
  // ISO timestamps and days sort as text, so the maximum is the newest; its first ten characters the day.
  const day = String(row?.newest ?? '').slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : null;
}

/** Records a source's sync state (validators, cursor, counts, outcome). */
export async function saveFeedState(db: Db, state: FeedState): Promise<void> {
  const row = {
    source: state.source,
    etag: orNull(state.etag),
    last_modified: orNull(state.lastModified),
    cursor: orNull(state.cursor),
    records: state.records,
    newest: orNull(state.newest),
    last_sync: orNull(state.lastSync),
    outcome: orNull(state.outcome),
    message: orNull(state.message),
  };
  const { source: _source, ...update } = row;
  await db
    .insertInto('feed_state')
    .values(row)
    .onConflict((oc) => oc.column('source').doUpdateSet(update))
    .execute();
}

function fromRow(r: FeedStateTable): FeedState {
  return definedOnly({
    source: r.source,
    etag: r.etag,
    lastModified: r.last_modified,
    cursor: r.cursor,
    records: Number(r.records),
    newest: r.newest,
    lastSync: r.last_sync,
    outcome: r.outcome as FeedState['outcome'] | null,
    message: r.message,
  });
}
