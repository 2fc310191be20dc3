/**
 * One page of findings, keyset-paginated in the database (issue #16: a page of a 10,000-host store's
 * 12.9M findings in ≤ 100 ms). The order is total: the sort's own key, then the finding's identity
 * (asset, vulnerability, package name) and its subject id (two ecosystems may name the same package).
 * A page is `WHERE (key…) > (cursor…) ORDER BY key… LIMIT n`, read along an index (migration 0017):
 *
 * - `risk`: highest first, unscored last (`-coalesce(risk, -1)`, index `findings_risk_page`);
 * - `due`: earliest due date first, none last (`coalesce(due_date, '~')`, index `findings_due_page`);
 * - `asset`: the primary key (asset_id, subject_id);
 * - `vulnerability`, `package`: the subject's column first; no index on `findings` serves these (the
 *   subject is in `finding_subjects`), so they sort every finding the filters select: fine on one
 *   asset or a few thousand findings, seconds on a whole fleet.
 *
 * Text compares bytewise (SQLite's BINARY; PostgreSQL's database collation, C.UTF-8 in ours), not by
 * locale as the CLI's `compareFindings` does: the two orders differ only between upper and lower case
 * and among punctuation (`_`, `+`).
 *
 * `total` is counted only for the first page (no cursor): counting is a scan of what the filters
 * select (12.9M rows unfiltered), which a page must not pay each time. Later pages return null.
 */
import { type RawBuilder, sql } from 'kysely';
import { PatchcastError } from '../../core/errors.js';
import type { Finding, FindingStatus } from '../../core/types.js';
import { type Db, isPostgres } from '../rows.js';
import { findingIdSql } from './finding-keys.js';
import { type FindingRow, fromFindingRow } from './findings.js';

export const FINDINGS_PAGE_SORTS = ['risk', 'due', 'asset', 'vulnerability', 'package'] as const;
export type FindingsPageSort = (typeof FINDINGS_PAGE_SORTS)[number];

export interface FindingsPageQuery {
  /** Only findings with one of these statuses (all statuses when empty). */
  status: readonly FindingStatus[];
  assetId?: string;
  packageName?: string;
  vulnerabilityId?: string;
  /** Only findings with a fix available (a target version). */
  fixable?: boolean;
  /**
   * Only findings of these subjects (`finding_subjects.id`): the caller resolves what the store
   * cannot index, e.g. a severity filter (src/services/findings/load-finding-page.ts).
   */
  subjectIds?: readonly number[];
  sort: FindingsPageSort;
  /** Rows per page, a whole number ≥ 1. */
  limit: number;
  /** The previous page's `nextCursor`, unchanged. */
  cursor?: string;
  /** Count the total (default: on the first page only, that is without a cursor). */
  total?: boolean;
}

export interface FindingsPage {
  /** How many findings the filters select; counted on the first page only (null with a cursor, or `total: false`). */
  total: number | null;
  sort: FindingsPageSort;
  findings: Finding[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A cursor: the sort, then the last row's sort key (the sort's own value, asset, vulnerability, package, subject). */
type CursorKey = [string, number | string | null, string, string, string, number];

interface PageRow extends FindingRow {
  subject_id: number | string;
  sort_key: number | string | null;
}

/** Each sort's own leading key as SQL (the same text as the index expressions of migration 0017). */
function leadingKey(sort: FindingsPageSort) {
  switch (sort) {
    case 'risk':
      return sql`-coalesce(f.risk, -1)`;
    case 'due':
      return sql`coalesce(f.due_date, '~')`;
    case 'vulnerability':
      return sql`s.vulnerability_id`;
    case 'package':
      return sql`s.package_name`;
    default:
      return undefined;
  }
}

/** The whole sort key, in order: the leading key, then the identity and the subject id. */
function sortKey(sort: FindingsPageSort) {
  const lead = leadingKey(sort);
  const rest =
    sort === 'vulnerability'
      ? [sql`f.asset_id`, sql`s.package_name`]
      : sort === 'package'
        ? [sql`f.asset_id`, sql`s.vulnerability_id`]
        : [sql`f.asset_id`, sql`s.vulnerability_id`, sql`s.package_name`];
  return [...(lead ? [lead] : []), ...rest, sql`f.subject_id`];
}

export function encodeFindingsCursor(sort: FindingsPageSort, row: PageRow): string {
  const key: CursorKey = [
    sort,
    row.sort_key === null ? null : sort === 'risk' ? Number(row.sort_key) : String(row.sort_key),
    row.asset_id,
    row.vulnerability_id,
    row.package_name,
    Number(row.subject_id),
  ];
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function badCursor(): never {
  throw new PatchcastError('USAGE_INVALID_ARGUMENT', 'cursor: not a cursor of this sort', {
    hint: 'Pass the nextCursor of the previous page unchanged, with the same sort and filters.',
  });
}

function decodeCursor(sort: FindingsPageSort, cursor: string): CursorKey {
  let key: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) badCursor();
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    badCursor();
  }
  if (!Array.isArray(key) || key.length !== 6 || key[0] !== sort) badCursor();
  const [, lead, asset, vuln, pkg, subject] = key as unknown[];
  const leadOk =
    sort === 'risk'
      ? typeof lead === 'number' && Number.isFinite(lead)
      : sort === 'due'
        ? typeof lead === 'string'
        : lead === null;
  if (
    !leadOk ||
    typeof asset !== 'string' ||
    typeof vuln !== 'string' ||
    typeof pkg !== 'string' ||
    !Number.isSafeInteger(subject)
  )
    badCursor();
  return key as CursorKey;
}

/** The cursor's values in the order of `sortKey(sort)`. */
function cursorValues(sort: FindingsPageSort, key: CursorKey): unknown[] {
  const [, lead, asset, vuln, pkg, subject] = key;
  if (sort === 'vulnerability') return [vuln, asset, pkg, subject];
  if (sort === 'package') return [pkg, asset, vuln, subject];
  if (sort === 'asset') return [asset, vuln, pkg, subject];
  return [lead, asset, vuln, pkg, subject];
}

/** Every finding subject: its id and the vulnerability it names. */
export async function listFindingSubjects(db: Db): Promise<Array<{ id: number; vulnerabilityId: string }>> {
  const rows = await db.selectFrom('finding_subjects').select(['id', 'vulnerability_id']).execute();
  return rows.map((r) => ({ id: Number(r.id), vulnerabilityId: r.vulnerability_id }));
}

/**
 * One page of the findings `query` selects, in its sort's total order, after its cursor. Reads at
 * most `limit + 1` rows along an index for the `risk`, `due` and `asset` sorts.
 */
export async function loadFindingsPage(db: Db, query: FindingsPageQuery): Promise<FindingsPage> {
  const limit = Math.floor(query.limit);
  if (!(limit >= 1))
    throw new PatchcastError('USAGE_INVALID_ARGUMENT', `limit: ${query.limit} is not a whole number ≥ 1`);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.sort, query.cursor);
  const postgres = isPostgres(db);
  const severitySubjects = query.subjectIds;

  const conditions = [];
  if (query.status.length) conditions.push(sql`f.status in (${sql.join(query.status)})`);
  if (query.assetId !== undefined) conditions.push(sql`f.asset_id = ${query.assetId}`);
  if (query.vulnerabilityId !== undefined)
    conditions.push(sql`s.vulnerability_id = ${query.vulnerabilityId}`);
  if (query.packageName !== undefined) conditions.push(sql`s.package_name = ${query.packageName}`);
  if (query.fixable) conditions.push(sql`m.target_version is not null`);
  if (severitySubjects)
    conditions.push(
      postgres
        ? sql`f.subject_id = any(${`{${severitySubjects.join(',')}}`}::integer[])`
        : sql`f.subject_id in (select value from json_each(${JSON.stringify(severitySubjects)}))`,
    );
  const filters = conditions.length ? sql.join(conditions, sql` and `) : sql`1 = 1`;

  const keys = sortKey(query.sort);
  const lead = leadingKey(query.sort);
  const ranked = query.sort === 'risk' || query.sort === 'due';
  const select = async (keyset: RawBuilder<unknown>, n: number, order = keys) =>
    (
      await sql<PageRow>`select ${findingIdSql(db)} as id, f.asset_id, f.subject_id,
        s.vulnerability_id, s.ecosystem, s.package_name, m.installed_version, m.fixed_versions,
        m.target_version, f.status, f.suppression, f.risk, f.due_date, f.first_seen, a.first_matched_at,
        f.last_seen, a.matched_at, f.resolved_at, ${ranked && lead ? lead : sql`null`} as sort_key
      from findings f
      join finding_subjects s on s.id = f.subject_id
      join finding_matches m on m.id = f.match_id
      left join asset_match_state a on a.asset_id = f.asset_id
      where ${filters} and ${keyset}
      order by ${sql.join(order)}
      limit ${n}`.execute(db)
    ).rows;
  let rows: PageRow[];
  if (!after) rows = await select(sql`1 = 1`, limit + 1);
  else {
    const values = cursorValues(query.sort, after);
    const rest = sql`(${sql.join(keys)}) > (${sql.join(values)})`;
    if (ranked && lead) {
      // SQLite bounds an index range by a row value only on plain columns, not on the expression
      // that leads these indexes: the rest of the cursor's risk (or due date), a range of
      // (expression, asset), then what sorts after it, a range of the expression alone.
      const [value, asset] = values;
      // The first query orders by what follows the (constant) expression: ordered by the expression
      // too, SQLite sorted the whole rest of a due date (~19,000 rows at 10,000 hosts) per page.
      rows = await select(
        sql`${lead} = ${value} and f.asset_id >= ${asset} and ${rest}`,
        limit + 1,
        keys.slice(1),
      );
      if (rows.length <= limit)
        rows.push(...(await select(sql`${lead} > ${value}`, limit + 1 - rows.length)));
    } else rows = await select(sql`${keys[0]} >= ${values[0]} and ${rest}`, limit + 1);
  }

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  let total: number | null = null;
  // A first page that holds every selected finding is its own count.
  if (query.total ?? !after)
    total = !after && rows.length <= limit ? page.length : await count(db, query, filters);
  return {
    total,
    sort: query.sort,
    findings: page.map((r) => fromFindingRow({ ...r, risk: r.risk === null ? null : Number(r.risk) })),
    nextCursor: rows.length > limit && last ? encodeFindingsCursor(query.sort, last) : null,
  };
}

/** How many findings the filters select: the joins only when a filter needs them. */
async function count(db: Db, query: FindingsPageQuery, filters: ReturnType<typeof sql>): Promise<number> {
  const subjects = query.vulnerabilityId !== undefined || query.packageName !== undefined;
  const r = await sql<{ n: number | string }>`select count(*) as n from findings f
    ${subjects ? sql`join finding_subjects s on s.id = f.subject_id` : sql``}
    ${query.fixable ? sql`join finding_matches m on m.id = f.match_id` : sql``}
    where ${filters}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
