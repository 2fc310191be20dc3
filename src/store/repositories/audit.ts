import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { AuditEvent } from '../../core/types.js';
import { type Db, definedOnly, fromJson, isPostgres, toJson } from '../rows.js';

export const AUDIT_GENESIS = '0'.repeat(64);

export type AuditInput = Pick<AuditEvent, 'at' | 'actor' | 'action'> &
  Partial<Pick<AuditEvent, 'subject' | 'data'>>;

/** The hash of one link: SHA-256 over the previous hash and the event's canonical fields. */
export function hashAuditEvent(prevHash: string, e: Omit<AuditEvent, 'hash' | 'prevHash'>): string {
  const body = JSON.stringify([e.seq, e.at, e.actor, e.action, e.subject ?? null, e.data ?? null]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * Appends an event to the hash chain. Must run inside a transaction: on PostgreSQL an advisory lock
 * serialises appenders so the chain never forks; SQLite's writer lock does the same.
 */
export async function appendAuditEvent(db: Db, input: AuditInput): Promise<AuditEvent> {
  if (isPostgres(db)) await sql`select pg_advisory_xact_lock(7210431)`.execute(db);
  const last = await db
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const seq = last ? Number(last.seq) + 1 : 1;
  const prevHash = last?.hash ?? AUDIT_GENESIS;
  const event = definedOnly({
    seq,
    at: input.at,
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    data: input.data,
  });
  const hash = hashAuditEvent(prevHash, event);
  await db
    .insertInto('audit_events')
    .values({
      seq,
      at: input.at,
      actor: input.actor,
      action: input.action,
      subject: input.subject ?? null,
      data: toJson(input.data),
      prev_hash: prevHash,
      hash,
    })
    .execute();
  return { ...event, prevHash, hash };
}

export async function listAuditEvents(
  db: Db,
  options: { afterSeq?: number; limit?: number } = {},
): Promise<AuditEvent[]> {
  let query = db.selectFrom('audit_events').selectAll().orderBy('seq');
  if (options.afterSeq !== undefined) query = query.where('seq', '>', options.afterSeq);
  if (options.limit !== undefined) query = query.limit(options.limit);
  const rows = await query.execute();
  return rows.map((r) =>
    definedOnly({
      seq: Number(r.seq),
      at: r.at,
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      data: fromJson<Record<string, unknown>>(r.data),
      prevHash: r.prev_hash,
      hash: r.hash,
    }),
  );
}

/** Re-computes the chain; returns the first broken link's seq, or null when the chain is intact. */
export async function verifyAuditChain(
  db: Db,
): Promise<{ ok: boolean; count: number; brokenAt: number | null }> {
  let prev = AUDIT_GENESIS;
  let count = 0;
  let afterSeq = 0;
  for (;;) {
    const page = await listAuditEvents(db, { afterSeq, limit: 5000 });
    if (page.length === 0) break;
    for (const e of page) {
      if (e.prevHash !== prev || hashAuditEvent(prev, e) !== e.hash)
        return { ok: false, count, brokenAt: e.seq };
      prev = e.hash;
      count++;
      afterSeq = e.seq;
    }
  }
  return { ok: true, count, brokenAt: null };
}
