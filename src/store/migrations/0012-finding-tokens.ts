import { type Kysely, sql } from 'kysely';

/**
 * `finding_tokens` keeps the last asset token given (one row). Since 0011 a matcher-made finding's
 * id is derived from its asset's token, so a token given again — after the asset holding the highest
 * one was deleted, with its `asset_match_state` row — would hand the deleted asset's finding ids,
 * and with them its history and exceptions, to a new asset.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table finding_tokens (last integer not null)`.execute(db);
  await sql`insert into finding_tokens (last) select coalesce(max(token), 0) from asset_match_state`.execute(
    db,
  );
}
