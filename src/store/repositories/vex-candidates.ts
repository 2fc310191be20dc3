/**
 * The findings VEX may change, found without a scan of the findings (issue #18): open findings of
 * the subjects statements name (`findings_subject`, migration 0021), and the suppressed findings
 * (`findings_suppressed`, a partial index), which VEX re-checks in case their statement is gone.
 */
import type { Db } from '../rows.js';
import type { FindingKey } from './finding-keys.js';

const IDS_PER_QUERY = 1000;

/** The open findings of these subjects. */
export async function loadOpenFindingKeysOf(db: Db, subjectIds: readonly number[]): Promise<FindingKey[]> {
  const out: FindingKey[] = [];
  for (let i = 0; i < subjectIds.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('findings')
      .select(['asset_id', 'subject_id'])
      .where('subject_id', 'in', subjectIds.slice(i, i + IDS_PER_QUERY))
      .where('status', '=', 'open')
      .execute();
    for (const r of rows) out.push({ assetId: r.asset_id, subjectId: Number(r.subject_id) });
  }
  return out;
}

/** The suppressed findings a VEX statement suppressed (not those an exception did). */
export async function loadVexSuppressedKeys(db: Db): Promise<FindingKey[]> {
  const rows = await db
    .selectFrom('findings')
    .select(['asset_id', 'subject_id', 'suppression'])
    .where('status', '=', 'suppressed')
    .execute();
  return rows
    .filter((r) => r.suppression !== null && (JSON.parse(r.suppression) as { kind?: string }).kind === 'vex')
    .map((r) => ({ assetId: r.asset_id, subjectId: Number(r.subject_id) }));
}
