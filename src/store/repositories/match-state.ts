import { sql } from 'kysely';
import { getEcosystemBase, getLookupName } from '../../core/package-name.js';
import { type Db, isPostgres } from '../rows.js';
import type { PackageKey } from './advisories.js';
import { type BulkColumn, insertRows } from './bulk.js';

/** What was last matched of an asset (migration 0009). */
export interface AssetMatchState {
  assetId: string;
  /** Small integer unique to the asset: the prefix of its matcher-made finding ids. */
  token: number;
  /** The inventory import matched last; null when never matched whole. */
  importId: number | null;
  matchedAt: string | null;
  /** Live (not fixed) findings after the last match. */
  findings: number;
  /** When the asset's findings were first written (in bulk): the first sighting of those without one. */
  firstMatchedAt: string | null;
}

const IDS_PER_QUERY = 1000;

function* slices<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += IDS_PER_QUERY) yield items.slice(i, i + IDS_PER_QUERY);
}

/** Every asset's id with its latest inventory import (null without one). */
export async function loadLatestImports(
  db: Db,
  assetIds?: readonly string[],
): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  for (const batch of assetIds ? slices(assetIds) : [undefined]) {
    let query = db
      .selectFrom('assets as a')
      .leftJoin('asset_imports as i', 'i.asset_id', 'a.id')
      .select(['a.id', (eb) => eb.fn.max('i.id').as('import_id')])
      .groupBy('a.id');
    if (batch) query = query.where('a.id', 'in', batch);
    for (const r of await query.execute()) out.set(r.id, r.import_id === null ? null : Number(r.import_id));
  }
  return out;
}

export async function loadMatchStates(
  db: Db,
  assetIds?: readonly string[],
): Promise<Map<string, AssetMatchState>> {
  const out = new Map<string, AssetMatchState>();
  for (const batch of assetIds ? slices(assetIds) : [undefined]) {
    let query = db.selectFrom('asset_match_state').selectAll();
    if (batch) query = query.where('asset_id', 'in', batch);
    for (const r of await query.execute())
      out.set(r.asset_id, {
        assetId: r.asset_id,
        token: Number(r.token),
        importId: r.import_id === null ? null : Number(r.import_id),
        matchedAt: r.matched_at,
        findings: Number(r.findings),
        firstMatchedAt: r.first_matched_at,
      });
  }
  return out;
}

const STATE_COLUMNS: readonly BulkColumn[] = [
  { name: 'asset_id', type: 'text' },
  { name: 'token', type: 'integer' },
];

/**
 * Gives the assets without a state one (a fresh token, never matched), after loading the stored
 * states `states` lacks; `states` then holds every one of these assets. Tokens are never reused, even
 * after an asset is deleted (`finding_tokens` keeps the last one given): a new asset must not take
 * the finding ids — in history, exceptions, tickets — of a deleted one.
 */
export async function ensureMatchStates(
  db: Db,
  states: Map<string, AssetMatchState>,
  assetIds: readonly string[],
): Promise<void> {
  const unknown = [...new Set(assetIds)].filter((id) => !states.has(id));
  if (unknown.length === 0) return;
  for (const [id, state] of await loadMatchStates(db, unknown)) states.set(id, state);
  const missing = unknown.filter((id) => !states.has(id)).sort();
  if (missing.length === 0) return;
  const row = await db
    .selectFrom('asset_match_state')
    .select((eb) => eb.fn.max('token').as('token'))
    .executeTakeFirst();
  const last = await db.selectFrom('finding_tokens').select('last').executeTakeFirst();
  let token = Math.max(Number(row?.token ?? 0), Number(last?.last ?? 0));
  const rows = missing.map((id) => [id, ++token]);
  await db.updateTable('finding_tokens').set({ last: token }).execute();
  await insertRows(db, 'asset_match_state', STATE_COLUMNS, rows);
  for (const [assetId, t] of rows as Array<[string, number]>)
    states.set(assetId, {
      assetId,
      token: t,
      importId: null,
      matchedAt: null,
      findings: 0,
      firstMatchedAt: null,
    });
}

/** Records a whole-asset match of these assets: their latest inventory import, and when. */
export async function saveMatchedImports(db: Db, assetIds: readonly string[], at: string): Promise<void> {
  for (const batch of slices(assetIds)) {
    const ids = sql.join(batch);
    if (isPostgres(db)) {
      // PostgreSQL answers a correlated max(id) by walking the primary key backwards, filtering by
      // asset: one pass over every import per asset (6 s at 10,000 assets). Grouped once instead.
      await sql`update asset_match_state m set matched_at = ${at}, import_id = li.import_id
        from asset_match_state a left join (
          select asset_id, max(id) as import_id from asset_imports where asset_id in (${ids}) group by asset_id
        ) li on li.asset_id = a.asset_id
        where a.asset_id = m.asset_id and m.asset_id in (${ids})`.execute(db);
      continue;
    }
    await sql`update asset_match_state set matched_at = ${at},
      import_id = (select max(i.id) from asset_imports i where i.asset_id = asset_match_state.asset_id)
      where asset_id in (${ids})`.execute(db);
  }
}

/** Every asset (or these) was seen whole at `at`: one row per asset, none per finding. */
export async function touchMatchedAt(db: Db, at: string, assetIds?: readonly string[]): Promise<void> {
  if (!assetIds) {
    await db.updateTable('asset_match_state').set({ matched_at: at }).execute();
    return;
  }
  for (const batch of slices(assetIds))
    await db
      .updateTable('asset_match_state')
      .set({ matched_at: at })
      .where('asset_id', 'in', batch)
      .execute();
}

/**
 * Recounts the live findings of these assets (every asset with `all`) into their state. With
 * `onlyOpen` (no finding is fixed, as after a first match) the count needs only the asset index.
 * Every asset at once is one grouped scan on PostgreSQL, not one index probe per asset.
 */
export async function recountFindings(
  db: Db,
  assetIds: readonly string[] | 'all',
  options: { onlyOpen?: boolean } = {},
): Promise<void> {
  const live = options.onlyOpen ? sql`` : sql`and f.status not in ('fixed', 'retired')`;
  if (assetIds === 'all' && isPostgres(db)) {
    await sql`update asset_match_state m set findings = coalesce(c.n, 0)
      from asset_match_state a left join (
        select f.asset_id, count(*) as n from findings f where true ${live} group by f.asset_id
      ) c on c.asset_id = a.asset_id
      where a.asset_id = m.asset_id and m.findings is distinct from coalesce(c.n, 0)`.execute(db);
    return;
  }
  const count = sql`(select count(*) from findings f where f.asset_id = asset_match_state.asset_id ${live})`;
  if (assetIds === 'all') {
    await sql`update asset_match_state set findings = ${count}`.execute(db);
    return;
  }
  for (const batch of slices(assetIds))
    await sql`update asset_match_state set findings = ${count} where asset_id in (${sql.join(batch)})`.execute(
      db,
    );
}

/** The assets among these that hold at least one finding row. */
export async function loadAssetsWithFindings(db: Db, assetIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const batch of slices(assetIds)) {
    const rows = await db
      .selectFrom('findings')
      .select('asset_id')
      .distinct()
      .where('asset_id', 'in', batch)
      .execute();
    for (const r of rows) out.add(r.asset_id);
  }
  return out;
}

/** Remembers the package names of advisories just written, for the next incremental re-match. */
export async function addPendingMatchKeys(db: Db, keys: readonly PackageKey[]): Promise<void> {
  const unique = new Map(
    keys.map((k) => {
      const base = getEcosystemBase(k.ecosystem);
      const name = getLookupName(k.ecosystem, k.name);
      return [`${base}\0${name}`, [base, name]];
    }),
  );
  await insertRows(db, 'pending_match_keys', PENDING_COLUMNS, [...unique.values()], 'on conflict do nothing');
}

const PENDING_COLUMNS: readonly BulkColumn[] = [
  { name: 'ecosystem_base', type: 'text' },
  { name: 'lookup_name', type: 'text' },
];

/** The pending keys as `getPackageLookupKey` strings (`base\0lookupName`). */
export async function loadPendingMatchKeys(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('pending_match_keys').selectAll().execute();
  return new Set(rows.map((r) => `${r.ecosystem_base}\0${r.lookup_name}`));
}

/** How many package names wait for an incremental re-match. */
export async function countPendingMatchKeys(db: Db): Promise<number> {
  const row = await db
    .selectFrom('pending_match_keys')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function clearPendingMatchKeys(db: Db): Promise<void> {
  await db.deleteFrom('pending_match_keys').execute();
}

/**
 * Removes these pending keys (`loadPendingMatchKeys` strings) once a re-match has covered them; keys a
 * concurrent sync added meanwhile stay queued.
 */
export async function removePendingMatchKeys(db: Db, keys: ReadonlySet<string>): Promise<void> {
  const pairs = [...keys].map((key) => key.split('\0'));
  for (const batch of slices(pairs)) {
    const rows = sql.join(batch.map(([base, name]) => sql`(${base}, ${name})`));
    await sql`delete from pending_match_keys where (ecosystem_base, lookup_name) in (values ${rows})`.execute(
      db,
    );
  }
}

/**
 * Assets a whole match would compare from scratch: never matched, or with an inventory import newer
 * than the one last matched (`inventory import --no-match`, a new host). The same rule `matchFleet`
 * applies to pick the assets it compares finding by finding; none means an advisory-only re-match
 * (`advisoryKeys: 'pending'`) brings every finding up to date.
 */
export async function loadUnmatchedAssets(db: Db): Promise<string[]> {
  const imports = await loadLatestImports(db);
  const states = await loadMatchStates(db);
  const unmatched: string[] = [];
  for (const [id, importId] of imports) {
    const state = states.get(id);
    if (!state || state.matchedAt === null || state.importId !== importId) unmatched.push(id);
  }
  return unmatched;
}
