/**
 * What the risk step's fast path reads and writes (issue #18): per finding only its keys, status,
 * stored risk and package usage, a batch of assets at a time; per subject its vulnerability and
 * package, once; and the risks that changed, written in bulk (SQLite: one prepared statement on the
 * driver; PostgreSQL: COPY into a temporary table and one `update … from`).
 */
import { sql } from 'kysely';
import { copyIn, copyOut, runOnClient } from '../pg-copy.js';
import { type Db, getSqliteHandle, isPostgres } from '../rows.js';

/** The findings risk scores: everything not fixed (suppressed and excepted stay visible). */
const SCORED = `('open', 'suppressed', 'excepted')`;
const IDS_PER_QUERY = 1000;

/**
 * A batch's scored findings, column by column (a row is a few numbers, not an object): row k is
 * the finding of asset `assetIds[asset[k]]` and subject `subject[k]`.
 */
export interface FindingRiskRows {
  assetIds: string[];
  asset: number[];
  subject: number[];
  /** 1 when open (else suppressed or excepted). */
  open: number[];
  /** The stored risk; NaN when never scored. */
  risk: number[];
  /** The finding's own id by row, when it is not the derived one (`getFindingId`). */
  ids: Map<number, string>;
}

/** The open, suppressed and excepted findings of these assets, in primary-key order. */
export async function loadFindingRiskRows(db: Db, assetIds: readonly string[]): Promise<FindingRiskRows> {
  const out = makeRows([...assetIds]);
  if (assetIds.length === 0) return out;
  const raw = getSqliteHandle(db);
  if (raw) {
    const stored = hasStoredIds(raw);
    const select = raw
      .prepare(
        `select subject_id * 2 + (status = 'open'), risk${stored ? ', id' : ''} from findings
          where asset_id = ? and status in ${SCORED}`,
      )
      .raw(true);
    assetIds.forEach((assetId, a) => {
      for (const r of select.all(assetId) as SqliteRow[]) pushSqliteRow(out, a, r, stored);
    });
    return out;
  }
  await copyRows(db, out, `asset_id = any(array[${assetIds.map(quote).join(', ')}]::text[])`);
  return out;
}

/**
 * The open, suppressed and excepted findings of these subjects on every asset
 * (`findings_subject`, migration 0021), whatever their asset: the incremental path's rows.
 */
export async function loadFindingRiskRowsOfSubjects(
  db: Db,
  subjectIds: readonly number[],
): Promise<FindingRiskRows> {
  const out = makeRows([]);
  if (subjectIds.length === 0) return out;
  const raw = getSqliteHandle(db);
  if (raw) {
    const stored = hasStoredIds(raw);
    const select = raw
      .prepare(
        `select subject_id * 2 + (status = 'open'), risk, ${stored ? 'id' : 'null'}, asset_id from findings
          where subject_id = ? and status in ${SCORED}`,
      )
      .raw(true);
    const index = new Map<string, number>();
    for (const subjectId of subjectIds)
      for (const r of select.all(subjectId) as Array<[number, number | null, string | null, string]>) {
        let a = index.get(r[3]);
        if (a === undefined) {
          a = out.assetIds.length;
          index.set(r[3], a);
          out.assetIds.push(r[3]);
        }
        pushSqliteRow(out, a, r, stored);
      }
    return out;
  }
  await copyRows(db, out, `subject_id = any(array[${subjectIds.map(Number).join(', ')}]::integer[])`);
  return out;
}

type SqliteRow = [number, number | null, string | null, string?];

function makeRows(assetIds: string[]): FindingRiskRows {
  return { assetIds, asset: [], subject: [], open: [], risk: [], ids: new Map() };
}

/** Stored ids are rare (`findings_id`, a partial index): most stores read none. */
function hasStoredIds(raw: NonNullable<ReturnType<typeof getSqliteHandle>>): boolean {
  return raw.prepare('select 1 from findings where id is not null limit 1').get() !== undefined;
}

function pushSqliteRow(out: FindingRiskRows, a: number, r: SqliteRow, stored: boolean): void {
  if (stored && r[2] !== null) out.ids.set(out.asset.length, r[2]);
  out.asset.push(a);
  out.subject.push(Math.floor(r[0] / 2));
  out.open.push(r[0] % 2);
  out.risk.push(r[1] ?? Number.NaN);
}

/** PostgreSQL: the scored findings `where` selects, through COPY (a row costs a split, not an object). */
async function copyRows(db: Db, out: FindingRiskRows, where: string): Promise<void> {
  const index = new Map(out.assetIds.map((id, a) => [id, a]));
  const assetIds = out.assetIds as string[];
  await runOnClient(db, (client) =>
    copyOut(
      client,
      `select asset_id, subject_id, (status = 'open')::int, risk, id from findings
        where ${where} and status in ${SCORED}`,
      ([assetId = '', subject = '', open = '', risk = '', id = '']) => {
        const key = unescapeCopy(assetId);
        let a = index.get(key);
        if (a === undefined) {
          a = assetIds.length;
          index.set(key, a);
          assetIds.push(key);
        }
        if (id !== '\\N') out.ids.set(out.asset.length, unescapeCopy(id));
        out.asset.push(a);
        out.subject.push(Number(subject));
        out.open.push(Number(open));
        out.risk.push(risk === '\\N' ? Number.NaN : Number(risk));
      },
    ),
  );
}

/** What a finding is about (`finding_subjects`). */
export interface FindingRiskSubject {
  vulnerabilityId: string;
  ecosystem: string;
  packageName: string;
}

/** The subjects of these ids. */
export async function loadFindingRiskSubjects(
  db: Db,
  ids: readonly number[],
): Promise<Map<number, FindingRiskSubject>> {
  const out = new Map<number, FindingRiskSubject>();
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('finding_subjects')
      .select(['id', 'vulnerability_id', 'ecosystem', 'package_name'])
      .where('id', 'in', ids.slice(i, i + IDS_PER_QUERY))
      .execute();
    for (const r of rows)
      out.set(Number(r.id), {
        vulnerabilityId: r.vulnerability_id,
        ecosystem: r.ecosystem,
        packageName: r.package_name,
      });
  }
  return out;
}

/**
 * Package usage of these assets' findings, where the inventory said (`asset_packages.in_use` not
 * null), by asset and subject. First the assets' packages with usage (a primary-key range each, so
 * an asset without usage data costs a range scan), then the findings of only those assets.
 */
export async function loadFindingUsage(
  db: Db,
  assetIds: readonly string[],
): Promise<Map<string, Map<number, boolean>>> {
  const out = new Map<string, Map<number, boolean>>();
  const withUsage = new Set<string>();
  for (let i = 0; i < assetIds.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('asset_packages')
      .select('asset_id')
      .distinct()
      .where('asset_id', 'in', assetIds.slice(i, i + IDS_PER_QUERY))
      .where('in_use', 'is not', null)
      .execute();
    for (const r of rows) withUsage.add(r.asset_id);
  }
  for (const assetId of withUsage) {
    const rows = await db
      .selectFrom('asset_packages as ap')
      .innerJoin('finding_subjects as s', (j) =>
        j.onRef('s.ecosystem', '=', 'ap.ecosystem').onRef('s.package_name', '=', 'ap.name'),
      )
      .innerJoin('findings as f', (j) =>
        j.onRef('f.asset_id', '=', 'ap.asset_id').onRef('f.subject_id', '=', 's.id'),
      )
      .innerJoin('finding_matches as m', (j) =>
        j.onRef('m.id', '=', 'f.match_id').onRef('m.installed_version', '=', 'ap.version'),
      )
      .select(['f.subject_id', 'ap.in_use'])
      .where('ap.asset_id', '=', assetId)
      .where('ap.in_use', 'is not', null)
      .execute();
    const usage = new Map<number, boolean>();
    for (const r of rows) usage.set(Number(r.subject_id), r.in_use === 1);
    out.set(assetId, usage);
  }
  return out;
}

/**
 * Package usage of these subjects' findings where the inventory said, by asset and subject: from
 * the findings (`findings_subject`), one package lookup each.
 */
export async function loadFindingUsageOfSubjects(
  db: Db,
  subjectIds: readonly number[],
): Promise<Map<string, Map<number, boolean>>> {
  const out = new Map<string, Map<number, boolean>>();
  for (let i = 0; i < subjectIds.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('findings as f')
      .innerJoin('finding_subjects as s', 's.id', 'f.subject_id')
      .innerJoin('finding_matches as m', 'm.id', 'f.match_id')
      .innerJoin('asset_packages as ap', (j) =>
        j
          .onRef('ap.asset_id', '=', 'f.asset_id')
          .onRef('ap.ecosystem', '=', 's.ecosystem')
          .onRef('ap.name', '=', 's.package_name')
          .onRef('ap.version', '=', 'm.installed_version'),
      )
      .select(['f.asset_id', 'f.subject_id', 'ap.in_use'])
      .where('f.subject_id', 'in', subjectIds.slice(i, i + IDS_PER_QUERY))
      .where('ap.in_use', 'is not', null)
      .execute();
    for (const r of rows) {
      let usage = out.get(r.asset_id);
      if (!usage) {
        usage = new Map();
        out.set(r.asset_id, usage);
      }
      usage.set(Number(r.subject_id), r.in_use === 1);
    }
  }
  return out;
}

/** The subjects of these vulnerabilities (`finding_subjects_vulnerability`, migration 0021). */
export async function loadSubjectIdsOf(db: Db, vulnerabilityIds: readonly string[]): Promise<number[]> {
  const out: number[] = [];
  const ids = [...new Set(vulnerabilityIds)];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('finding_subjects')
      .select('id')
      .where('vulnerability_id', 'in', ids.slice(i, i + IDS_PER_QUERY))
      .execute();
    for (const r of rows) out.push(Number(r.id));
  }
  return out.sort((a, b) => a - b);
}

/** Each asset's finding-id token (`asset_match_state`), for the derived ids (`getFindingId`). */
export async function loadAssetTokens(db: Db, assetIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < assetIds.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('asset_match_state')
      .select(['asset_id', 'token'])
      .where('asset_id', 'in', assetIds.slice(i, i + IDS_PER_QUERY))
      .execute();
    for (const r of rows) out.set(r.asset_id, Number(r.token));
  }
  return out;
}

/**
 * A test of whether a risk differs from the stored one (NaN: never scored, always differs). PostgreSQL stores `real` (float4, migration 0011):
 * there both are compared as float4, as a write would store the new one.
 */
export function makeRiskChangeTest(db: Db): (stored: number, risk: number) => boolean {
  if (isPostgres(db)) return (stored, risk) => Math.fround(stored) !== Math.fround(risk);
  return (stored, risk) => stored !== risk;
}

/** A finding's new risk. */
export interface FindingRiskWrite {
  assetId: string;
  subjectId: number;
  risk: number;
}

/**
 * Writes these risks. Each write also moves the finding in `findings_risk_page` (migration 0017),
 * which is why the caller writes only the risks that changed.
 */
export async function writeFindingRisks(db: Db, rows: readonly FindingRiskWrite[]): Promise<void> {
  if (rows.length === 0) return;
  const raw = getSqliteHandle(db);
  if (raw) {
    const update = raw.prepare('update findings set risk = ? where asset_id = ? and subject_id = ?');
    raw.transaction(() => {
      for (const r of rows) update.run(r.risk, r.assetId, r.subjectId);
    })();
    return;
  }
  if (!isPostgres(db)) throw new Error('writeFindingRisks: neither SQLite nor PostgreSQL');
  await db.transaction().execute(async (trx) => {
    await sql`create temporary table pc_risks (asset_id text, subject_id integer, risk real) on commit drop`.execute(
      trx,
    );
    await runOnClient(trx, (client) =>
      copyIn(client, 'pc_risks (asset_id, subject_id, risk)', toCopyLines(rows)),
    );
    await sql`update findings as f set risk = v.risk from pc_risks v
      where f.asset_id = v.asset_id and f.subject_id = v.subject_id`.execute(trx);
  });
}

function* toCopyLines(rows: readonly FindingRiskWrite[]): Generator<string> {
  const size = 5000;
  for (let i = 0; i < rows.length; i += size) {
    let chunk = '';
    for (const r of rows.slice(i, i + size)) chunk += `${escapeCopy(r.assetId)}\t${r.subjectId}\t${r.risk}\n`;
    yield chunk;
  }
}

/** COPY's text format: backslash, tab, newline and carriage return escaped. */
function escapeCopy(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(
        /[\\\t\n\r]/g,
        (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] as string,
      )
    : value;
}

function unescapeCopy(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c);
}

/** A SQL string literal (asset ids are text chosen by users). */
function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
