/** Rows of the API's credentials (migration 0015): tokens, enrollment tokens, agents. Hashes only. */
import type { Db } from '../rows.js';
import type { AgentsTable, ApiTokensTable, EnrollTokensTable } from '../schema.js';

export type ApiTokenRow = ApiTokensTable;
export type EnrollTokenRow = EnrollTokensTable;
export type AgentRow = AgentsTable;

export async function insertApiToken(db: Db, row: ApiTokenRow): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export async function loadApiTokenByHash(db: Db, hash: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
}

export async function listApiTokens(db: Db): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').selectAll().orderBy('created_at').orderBy('id').execute();
}

/** Sets revoked_at once; false when no such token or already revoked. */
export async function revokeApiToken(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function touchApiToken(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function insertEnrollToken(db: Db, row: EnrollTokenRow): Promise<void> {
  await db.insertInto('enroll_tokens').values(row).execute();
}

/**
 * Takes one use of the enrollment token with this hash if it is live at `at`; returns its id, or
 * undefined. One conditional UPDATE, so two agents racing for the last use cannot both win.
 */
export async function takeEnrollTokenUse(db: Db, hash: string, at: string): Promise<string | undefined> {
  const row = await db
    .updateTable('enroll_tokens')
    .set((eb) => ({ uses_left: eb('uses_left', '-', 1) }))
    .where('hash', '=', hash)
    .where('uses_left', '>', 0)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function insertAgent(db: Db, row: AgentRow): Promise<void> {
  await db.insertInto('agents').values(row).execute();
}

export async function loadAgentByHash(db: Db, hash: string): Promise<AgentRow | undefined> {
  return db.selectFrom('agents').selectAll().where('hash', '=', hash).executeTakeFirst();
}

export async function listAgents(db: Db): Promise<AgentRow[]> {
  return db.selectFrom('agents').selectAll().orderBy('enrolled_at').orderBy('id').execute();
}

export async function revokeAgent(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('agents')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function touchAgent(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('agents').set({ last_seen_at: at }).where('id', '=', id).execute();
}

/** Audit events of one action on one subject, oldest first (exception requests and their approval). */
export async function listAuditEventsFor(db: Db, action: string, subject: string) {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', action)
    .where('subject', '=', subject)
    .orderBy('seq')
    .execute();
}
