import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { getOrCreate } from '../../core/collections.js';
import { type Db, isPostgres } from '../rows.js';

/**
 * Findings are keyed by (asset, subject) (migration 0011). A matcher-made finding's id is derived —
 * its asset's token (12 hex digits) and its subject id (8), `getFindingId` — and not stored; only
 * other ids (from stores before 0009, or given to `upsertFindings`) are, in `findings.id`. These
 * helpers turn ids into keys and keys into SQL.
 */
export interface FindingKey {
  assetId: string;
  subjectId: number;
}

const DERIVED_ID = /^[0-9a-f]{20}$/;

/**
 * A matcher-made finding's id: the asset's token (12 hex digits) and the subject id (8), 20 hex
 * digits as ids have always been. Stable across scans and upgrades of the package on the asset.
 * `findingIdSql` is the same in SQL; `loadFindingKeys` reads it back.
 */
export function getFindingId(assetToken: number, subjectId: number): string {
  return `${assetToken.toString(16).padStart(12, '0')}${subjectId.toString(16).padStart(8, '0')}`;
}
const IDS_PER_QUERY = 1000;

/**
 * A finding's id in SQL: its own, or the derived one. `f` is the findings alias, `a` an
 * `asset_match_state` joined on the asset.
 */
export function findingIdSql(db: Db, f = 'f', a = 'a'): RawBuilder<string> {
  const id = sql.ref(`${f}.id`);
  const token = sql.ref(`${a}.token`);
  const subject = sql.ref(`${f}.subject_id`);
  return isPostgres(db)
    ? sql<string>`coalesce(${id}, lpad(to_hex(${token}), 12, '0') || lpad(to_hex(${subject}), 8, '0'))`
    : sql<string>`coalesce(${id}, printf('%012x%08x', ${token}, ${subject}))`;
}

/**
 * The keys of these ids: a stored id gives its row's key; a derived one its asset (by token) and
 * subject — unless that row has an id of its own, so that a derived-looking id never reaches another
 * finding. A derived id's finding is not checked to exist: a caller that takes ids from outside
 * compares the ids of what it loads (`listFindings` does). Unknown ids are left out.
 */
export async function loadFindingKeys(db: Db, ids: readonly string[]): Promise<Map<string, FindingKey>> {
  const out = new Map<string, FindingKey>();
  const unique = [...new Set(ids)];
  // Stored ids exist only in stores from before 0009 and for `upsertFindings` callers: usually none.
  const anyStored = unique.length > 0 && (await hasStoredIds(db));
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const batch = unique.slice(i, i + IDS_PER_QUERY);
    if (anyStored) {
      const stored = await db
        .selectFrom('findings')
        .select(['id', 'asset_id', 'subject_id'])
        .where('id', 'in', batch)
        .execute();
      for (const r of stored)
        out.set(r.id as string, { assetId: r.asset_id, subjectId: Number(r.subject_id) });
    }
    const derived = batch.filter((id) => !out.has(id) && DERIVED_ID.test(id));
    const tokens = [...new Set(derived.map((id) => Number.parseInt(id.slice(0, 12), 16)))];
    if (tokens.length === 0) continue;
    const states = await db
      .selectFrom('asset_match_state')
      .select(['token', 'asset_id'])
      .where('token', 'in', tokens)
      .execute();
    const assetOf = new Map(states.map((s) => [Number(s.token), s.asset_id]));
    const found = new Map<string, FindingKey>();
    for (const id of derived) {
      const assetId = assetOf.get(Number.parseInt(id.slice(0, 12), 16));
      if (assetId !== undefined) found.set(id, { assetId, subjectId: Number.parseInt(id.slice(12), 16) });
    }
    const taken = anyStored ? await loadKeysWithStoredIds(db, found.values()) : new Set<string>();
    for (const [id, key] of found) if (!taken.has(`${key.assetId}\0${key.subjectId}`)) out.set(id, key);
  }
  return out;
}

async function hasStoredIds(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('findings')
    .select('id')
    .where('id', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Of these keys, those whose row has a stored id, as `asset\0subject`. */
async function loadKeysWithStoredIds(db: Db, keys: Iterable<FindingKey>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const group of groupKeys(keys)) {
    const rows = await db
      .selectFrom('findings')
      .select(['asset_id', 'subject_id'])
      .where('id', 'is not', null)
      .where(keysCondition(group))
      .execute();
    for (const r of rows) out.add(`${r.asset_id}\0${Number(r.subject_id)}`);
  }
  return out;
}

/** Splits keys into slices of at most `size`, each grouped by asset. */
export function* groupKeys(keys: Iterable<FindingKey>, size = 500): Generator<Map<string, number[]>> {
  let group = new Map<string, number[]>();
  let n = 0;
  for (const k of keys) {
    getOrCreate(group, k.assetId, () => []).push(k.subjectId);
    if (++n === size) {
      yield group;
      group = new Map();
      n = 0;
    }
  }
  if (n > 0) yield group;
}

/** `(asset_id = … and subject_id in (…)) or …` over one group of `groupKeys`; `f` is the alias. */
export function keysCondition(
  group: ReadonlyMap<string, readonly number[]>,
  f?: string,
): RawBuilder<SqlBool> {
  const asset = sql.ref(f ? `${f}.asset_id` : 'asset_id');
  const subject = sql.ref(f ? `${f}.subject_id` : 'subject_id');
  const terms = [...group].map(
    ([assetId, subjects]) => sql`(${asset} = ${assetId} and ${subject} in (${sql.join(subjects)}))`,
  );
  return sql<SqlBool>`(${sql.join(terms, sql` or `)})`;
}
