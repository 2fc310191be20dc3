/** The append-only change events read by the API's server-sent events (migration 0016). */
import { sql } from 'kysely';
import { type Db, fromJson, isPostgres, toJson } from '../rows.js';

export interface StoredEvent {
  id: number;
  at: string;
  /** `noun:verb`, e.g. `finding:changed`, `plan:created`, `plan:approved`. */
  kind: string;
  subject?: string;
  data?: Record<string, unknown>;
}

/**
 * Appends an event; run it inside the transaction that made the change. On PostgreSQL an advisory
 * lock serialises appenders until commit, so ids commit in increasing order and a reader that has
 * seen id N never later finds a smaller id appear (SQLite's writer lock does the same).
 */
export async function appendEvent(
  db: Db,
  input: { at: string; kind: string; subject?: string; data?: Record<string, unknown> },
): Promise<number> {
  if (isPostgres(db)) await sql`select pg_advisory_xact_lock(7210432)`.execute(db);
  const last = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  const id = Number(last?.id ?? 0) + 1;
  await db
    .insertInto('events')
    .values({ id, at: input.at, kind: input.kind, subject: input.subject ?? null, data: toJson(input.data) })
    .execute();
  return id;
}

/** Events after `afterId`, oldest first, at most `limit`. */
export async function listEventsAfter(db: Db, afterId: number, limit: number): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    kind: r.kind,
    ...(r.subject === null ? {} : { subject: r.subject }),
    ...(r.data === null
      ? {}
      : { data: fromJson<Record<string, unknown>>(r.data) as Record<string, unknown> }),
  }));
}

/** The newest event id, 0 when there is none (where a new SSE client without Last-Event-ID starts). */
export async function loadLastEventId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}
