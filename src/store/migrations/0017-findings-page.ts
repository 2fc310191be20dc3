import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * Indexes for the API's findings pages (`loadFindingsPage`, issue #16: a page of a 10,000-host
 * store's 12.9M findings in ≤ 100 ms), two on `findings`, each ending in the primary key so that a
 * page is one range of one index:
 *
 * - `findings_risk_page`: highest risk first, unscored last — the sort key `-coalesce(risk, -1)`, as
 *   the query writes it (SQLite uses an expression index only for the same expression).
 * - `findings_due_page`: earliest due date first, none last — `coalesce(due_date, '~')`: due dates
 *   are ISO dates, which sort before `~`.
 *
 * By asset, a page is a range of the primary key (asset_id, subject_id). The subject's vulnerability
 * and package name, which break ties, live in `finding_subjects`: ties (one risk, one asset) are
 * sorted after the index gives them in order, a few rows at a time.
 */
export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  await sql`create index findings_risk_page on findings ((-coalesce(risk, -1)), asset_id, subject_id)`.execute(
    db,
  );
  await sql`create index findings_due_page on findings ((coalesce(due_date, '~')), asset_id, subject_id)`.execute(
    db,
  );
}
