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
  assetIds: readonly string[];
  asset: number[];
  subject: number[];
  /** 1 when open (else suppressed or excepted). */
  open: number[];
  /** The stored risk; NaN when never scored. */
  risk: number[];
  /** The finding's own id by row, when it is not the derived one (`getFindingId`). */
  ids: Map<number, string>;
}

/**
 * The open, suppressed and excepted findings of these assets (optionally only these subjects), in
 * primary-key order. On PostgreSQL through COPY (a row costs a split, not a parsed object).
 */
export async function loadFindingRiskRows(
  db: Db,
  assetIds: readonly string[],
  subjectIds?: readonly number[],
): Promise<FindingRiskRows> {
  const out: FindingRiskRows = { assetIds, asset: [], subject: [], open: [], risk: [], ids: new Map() };
  if (assetIds.length === 0) return out;
  const raw = getSqliteHandle(db);
  if (raw) {
    // Stored ids are rare (findings_id, a partial index): most stores read none.
    const stored = raw.prepare('select 1 from findings where id is not null limit 1').get() !== undefined;
    const bySubject = subjectIds ? ` and subject_id in (select value from json_each(?))` : '';
    const select = raw
      .prepare(
        `select subject_id * 2 + (status = 'open'), risk${stored ? ', id' : ''} from findings
          where asset_id = ? and status in ${SCORED}${bySubject}`,
      )
      .raw(true);
    const subjects = subjectIds ? [JSON.stringify(subjectIds)] : [];
    assetIds.forEach((assetId, a) => {
      for (const r of select.all(assetId, ...subjects) as Array<[number, number | null, string | null]>) {
        if (stored && r[2] !== null) out.ids.set(out.asset.length, r[2]);
        out.asset.push(a);
        out.subject.push(Math.floor(r[0] / 2));
        out.open.push(r[0] % 2);
        out.risk.push(r[1] ?? Number.NaN);
      }
    });
    return out;
  }
  const index = new Map(assetIds.map((id, a) => [id, a]));
  const assets = `array[${assetIds.map(quote).join(', ')}]::text[]`;
  const bySubject = subjectIds
    ? ` and subject_id = any(array[${subjectIds.map(Number).join(', ')}]::integer[])`
    : '';
  await runOnClient(db, (client) =>
    copyOut(
      client,
      `select asset_id, subject_id, (status = 'open')::int, risk, id from findings
        where asset_id = any(${assets}) and status in ${SCORED}${bySubject} order by asset_id, subject_id`,
      ([assetId = '', subject = '', open = '', risk = '', id = '']) => {
        if (id !== '\\N') out.ids.set(out.asset.length, unescapeCopy(id));
        out.asset.push(index.get(unescapeCopy(assetId)) as number);
        out.subject.push(Number(subject));
        out.open.push(Number(open));
        out.risk.push(risk === '\\N' ? Number.NaN : Number(risk));
      },
    ),
  );
  return out;
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

/** The assets holding findings of these subjects, in any status (`findings_subject`, migration 0021). */
export async function loadAssetIdsOfSubjects(db: Db, subjectIds: readonly number[]): Promise<string[]> {
  const out = new Set<string>();
  for (let i = 0; i < subjectIds.length; i += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('findings')
      .select('asset_id')
      .distinct()
      .where('subject_id', 'in', subjectIds.slice(i, i + IDS_PER_QUERY))
      .execute();
    for (const r of rows) out.add(r.asset_id);
  }
  return [...out].sort();
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
