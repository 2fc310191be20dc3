import { sql, type UpdateObject } from 'kysely';
import { getOrCreate } from '../../core/collections.js';
import type { Finding, FindingStatus } from '../../core/types.js';
import { type Db, definedOnly, fromJson, isPostgres, orNull, toJson } from '../rows.js';
import type { Database } from '../schema.js';
import { type BulkColumn, insertRows } from './bulk.js';
import { type FindingKey, findingIdSql, groupKeys, keysCondition, loadFindingKeys } from './finding-keys.js';
import {
  ensureMatch,
  ensureSubjects,
  type FindingSubject,
  getSubjectKey,
  type MatchToStore,
} from './finding-matches.js';

const FINDING_COLUMNS: readonly BulkColumn[] = [
  { name: 'asset_id', type: 'text' },
  { name: 'subject_id', type: 'integer' },
  { name: 'id', type: 'text' },
  { name: 'match_id', type: 'integer' },
  { name: 'status', type: 'text' },
  { name: 'suppression', type: 'text' },
  { name: 'risk', type: 'real' },
  { name: 'due_date', type: 'text' },
  { name: 'first_seen', type: 'text' },
  { name: 'last_seen', type: 'text' },
  { name: 'resolved_at', type: 'text' },
];

/**
 * Refreshed on conflict. Kept: `first_seen` (the SLA clock starts at first detection), and `risk` and
 * `due_date`, which belong to the risk and SLA steps that run after matching.
 */
const REFRESHED = ['match_id', 'status', 'suppression', 'last_seen', 'resolved_at'];
const ON_CONFLICT = `on conflict (asset_id, subject_id) do update set ${REFRESHED.map((n) => `${n} = excluded.${n}`).join(', ')}`;

/**
 * Inserts new findings and refreshes known ones (one per asset, vulnerability and package name);
 * `first_seen` and the id of a known finding are kept. Of two findings with the same key the last
 * wins (one statement may not touch a row twice on PostgreSQL). The ids given are stored as they are.
 * The package version's details (fixed and target versions) are stored once per (version,
 * vulnerability) and shared by every asset: the last written wins. The matcher writes in bulk
 * (store/repositories/match-fanout.ts); this is the one-by-one path for callers and tests.
 */
export async function upsertFindings(db: Db, findings: readonly Finding[]): Promise<void> {
  const byKey = (f: Finding) => `${f.assetId}\0${f.vulnerabilityId}\0${f.ecosystem}\0${f.packageName}`;
  const unique = [...new Map(findings.map((f) => [byKey(f), f])).values()];
  const subjects = await ensureSubjects(db, unique.map(toSubject));
  const rows: unknown[][] = [];
  for (const f of unique) {
    const subjectId = subjects.get(getSubjectKey(toSubject(f))) as number;
    const match: MatchToStore = {
      subjectId,
      installedVersion: f.installedVersion,
      fixedVersions: f.fixedVersions,
    };
    if (f.targetVersion !== undefined) match.targetVersion = f.targetVersion;
    const matchId = await ensureMatch(db, match);
    rows.push(toValues(f, subjectId, matchId));
  }
  await insertRows(db, 'findings', FINDING_COLUMNS, rows, ON_CONFLICT);
}

function toSubject(f: Finding): FindingSubject {
  return { vulnerabilityId: f.vulnerabilityId, ecosystem: f.ecosystem, packageName: f.packageName };
}

function toValues(f: Finding, subjectId: number, matchId: number): unknown[] {
  return [
    f.assetId,
    subjectId,
    f.id,
    matchId,
    f.status,
    toJson(f.suppression),
    orNull(f.risk),
    orNull(f.dueDate),
    f.firstSeen,
    f.lastSeen,
    orNull(f.resolvedAt),
  ];
}

/** A findings row with its subject, match and asset state joined in (the columns `selectFindings` reads). */
export interface FindingRow {
  id: string;
  asset_id: string;
  vulnerability_id: string;
  ecosystem: string;
  package_name: string;
  installed_version: string;
  fixed_versions: string | null;
  target_version: string | null;
  status: string;
  suppression: string | null;
  risk: number | null;
  due_date: string | null;
  first_seen: string | null;
  first_matched_at: string | null;
  last_seen: string | null;
  matched_at: string | null;
  resolved_at: string | null;
}

/**
 * A live finding was seen again whenever its asset was matched since (`asset_match_state.matched_at`);
 * a first match writes no `last_seen` of its own, only the asset's `matched_at`.
 */
export function fromFindingRow(r: FindingRow): Finding {
  const firstSeen = (r.first_seen ?? r.first_matched_at) as string;
  const own = r.last_seen ?? firstSeen;
  const seenAgain =
    r.status !== 'fixed' && r.status !== 'retired' && r.matched_at !== null && r.matched_at > own;
  return definedOnly({
    id: r.id,
    assetId: r.asset_id,
    vulnerabilityId: r.vulnerability_id,
    ecosystem: r.ecosystem,
    packageName: r.package_name,
    installedVersion: r.installed_version,
    fixedVersions: fromJson<string[]>(r.fixed_versions) ?? [],
    targetVersion: r.target_version,
    status: r.status as FindingStatus,
    suppression: fromJson<Finding['suppression']>(r.suppression),
    risk: r.risk === null ? null : Number(r.risk),
    dueDate: r.due_date,
    firstSeen,
    lastSeen: seenAgain ? (r.matched_at as string) : own,
    resolvedAt: r.resolved_at,
  });
}

export interface FindingFilter {
  assetId?: string;
  /** Only findings on these assets (a batch: at most a few thousand ids). */
  assetIds?: readonly string[];
  /** Only these findings (at most a few thousand ids). */
  ids?: readonly string[];
  vulnerabilityId?: string;
  packageName?: string;
  status?: FindingStatus[];
  limit?: number;
}

/**
 * Findings with their subject and match details joined in, highest risk first and unscored last,
 * then by id (bytewise), the same on both backends.
 */
export async function listFindings(db: Db, filter: FindingFilter = {}): Promise<Finding[]> {
  if (filter.assetIds?.length === 0 || filter.ids?.length === 0) return [];
  if (filter.ids) return listFindingsById(db, filter.ids, filter);
  return (await selectFindings(db, filter)).map(fromFindingRow);
}

/** By id: the ids' keys, at most 500 a query; only findings whose id is one asked for. */
async function listFindingsById(db: Db, ids: readonly string[], filter: FindingFilter): Promise<Finding[]> {
  const wanted = new Set(ids);
  const keys = await loadFindingKeys(db, ids);
  const out: Finding[] = [];
  for (const group of groupKeys(keys.values()))
    for (const r of await selectFindings(db, { ...filter, ids: undefined }, group))
      if (wanted.has(r.id)) out.push(fromFindingRow(r));
  out.sort((a, b) => (b.risk ?? -1) - (a.risk ?? -1) || Buffer.compare(Buffer.from(a.id), Buffer.from(b.id)));
  return filter.limit ? out.slice(0, filter.limit) : out;
}

/** The findings of these keys (500 a query), narrowed by `filter`'s statuses; unknown keys are left out. */
export async function listFindingsByKeys(
  db: Db,
  keys: Iterable<FindingKey>,
  filter: Pick<FindingFilter, 'status'> = {},
): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const group of groupKeys(keys))
    for (const r of await selectFindings(db, filter, group)) out.push(fromFindingRow(r));
  return out;
}

async function selectFindings(
  db: Db,
  filter: FindingFilter,
  keys?: ReadonlyMap<string, readonly number[]>,
): Promise<FindingRow[]> {
  const id = findingIdSql(db);
  let query = db
    .selectFrom('findings as f')
    .innerJoin('finding_subjects as s', 's.id', 'f.subject_id')
    .innerJoin('finding_matches as m', 'm.id', 'f.match_id')
    .leftJoin('asset_match_state as a', 'a.asset_id', 'f.asset_id')
    .select([
      id.as('id'),
      'f.asset_id',
      's.vulnerability_id',
      's.ecosystem',
      's.package_name',
      'm.installed_version',
      'm.fixed_versions',
      'm.target_version',
      'f.status',
      'f.suppression',
      'f.risk',
      'f.due_date',
      'f.first_seen',
      'a.first_matched_at',
      'f.last_seen',
      'a.matched_at',
      'f.resolved_at',
    ]);
  if (keys) query = query.where(keysCondition(keys, 'f'));
  if (filter.assetId) query = query.where('f.asset_id', '=', filter.assetId);
  if (filter.assetIds) query = query.where('f.asset_id', 'in', [...filter.assetIds]);
  if (filter.vulnerabilityId) query = query.where('s.vulnerability_id', '=', filter.vulnerabilityId);
  if (filter.packageName) query = query.where('s.package_name', '=', filter.packageName);
  if (filter.status?.length) query = query.where('f.status', 'in', filter.status);
  const byId = isPostgres(db) ? sql`${id} collate "C"` : id;
  query = query.orderBy('f.risk', (o) => o.desc().nullsLast()).orderBy(byId);
  if (filter.limit && !keys) query = query.limit(filter.limit);
  return (await query.execute()) as FindingRow[];
}

/** How many findings have one of these statuses (all findings without `status`). */
export async function countFindings(db: Db, filter: { status?: FindingStatus[] } = {}): Promise<number> {
  let query = db.selectFrom('findings').select((eb) => eb.fn.countAll<number>().as('n'));
  if (filter.status?.length) query = query.where('status', 'in', filter.status);
  return Number((await query.executeTakeFirst())?.n ?? 0);
}

/** How many of an asset's findings are open. */
export async function countOpenFindingsOfAsset(db: Db, assetId: string): Promise<number> {
  const row = await db
    .selectFrom('findings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('asset_id', '=', assetId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A finding's new status, with its suppression (null to clear it). */
export interface FindingStatusChange {
  id: string;
  status: FindingStatus;
  suppression: Finding['suppression'] | null;
}

/** Sets the status and suppression of many findings: a statement per same change and 500 findings. */
export async function updateFindingStatuses(db: Db, changes: readonly FindingStatusChange[]): Promise<void> {
  const keys = await loadFindingKeys(
    db,
    changes.map((c) => c.id),
  );
  const groups = new Map<string, { status: FindingStatus; suppression: string | null; keys: FindingKey[] }>();
  for (const c of changes) {
    const key = keys.get(c.id);
    if (!key) continue;
    const suppression = toJson(c.suppression);
    const group = getOrCreate(groups, `${c.status}\0${suppression}`, () => ({
      status: c.status,
      suppression,
      keys: [],
    }));
    group.keys.push(key);
  }
  for (const { status, suppression, keys: some } of groups.values())
    await updateByKeys(db, some, { status, suppression });
}

/** Sets these columns on the findings with these keys, 500 a statement. */
export async function updateByKeys(
  db: Db,
  keys: Iterable<FindingKey>,
  values: UpdateObject<Database, 'findings'>,
): Promise<void> {
  for (const group of groupKeys(keys))
    await db.updateTable('findings').set(values).where(keysCondition(group)).execute();
}

/** Marks an asset's open findings that a new scan no longer reports as fixed. Returns how many. */
export async function resolveFindingsNotIn(
  db: Db,
  assetId: string,
  stillOpen: readonly string[],
  at: string,
) {
  const keys = [...(await loadFindingKeys(db, stillOpen)).values()].filter((k) => k.assetId === assetId);
  let query = db
    .updateTable('findings')
    .set({ status: 'fixed', resolved_at: at })
    .where('asset_id', '=', assetId)
    .where('status', 'not in', ['fixed', 'retired']);
  if (keys.length > 0)
    query = query.where(
      'subject_id',
      'not in',
      keys.map((k) => k.subjectId),
    );
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Sets due dates: the findings (by id) of each new date. */
export async function updateFindingDueDates(
  db: Db,
  byDate: ReadonlyMap<string | null, readonly string[]>,
): Promise<void> {
  const keys = await loadFindingKeys(db, [...byDate.values()].flat());
  for (const [dueDate, ids] of byDate)
    await updateByKeys(
      db,
      ids.flatMap((id) => keys.get(id) ?? []),
      { due_date: dueDate },
    );
}
