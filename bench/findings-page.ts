/**
 * The API's findings pages at fleet scale (issue #16: p99 ≤ 100 ms a page at 10,000 hosts, ~12.9M
 * findings), on SQLite (a temporary directory) and PostgreSQL (127.0.0.1:5432, database `test`, a
 * schema of its own, dropped afterwards). The store is synthetic: ~1,290 findings a host over 20,000
 * subjects, inserted by `insert … select` in chunks of hosts (no matcher), with the risk, due date and
 * status mix of a scored fleet (30% unscored, 40% without a due date, 85% open).
 *
 * Run: npm run bench findings-page -- [--hosts N] [--only sqlite|postgres] [--samples N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import {
  type Db,
  type FindingsPageQuery,
  loadFindingsPage,
  openStore,
  type Store,
} from '../src/store/index.js';

const PG_URL = process.env.PATCHCAST_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PER_HOST = 1290;
const SUBJECTS = 20_000;
const LIMIT = 100;

interface Args {
  hosts: number;
  samples: number;
  only?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = value('--only');
  return {
    hosts: Number(value('--hosts') ?? 10_000),
    samples: Number(value('--samples') ?? 200),
    ...(only ? { only } : {}),
  };
}

const hostId = (n: number) => `host-${String(n).padStart(5, '0')}`;

/** Subjects (vulnerability × package), one match each, half with a fix. */
export async function insertSubjects(db: Db, postgres: boolean): Promise<void> {
  const series = postgres
    ? sql`select n from generate_series(0, ${SUBJECTS - 1}) as n`
    : sql`with recursive s(n) as (select 0 union all select n + 1 from s where n < ${SUBJECTS - 1}) select n from s`;
  const pad = postgres ? sql`lpad((n / 3)::text, 5, '0')` : sql`printf('%05d', n / 3)`;
  await sql`insert into finding_subjects (id, vulnerability_id, ecosystem, package_name)
    select n + 1, 'CVE-2024-' || ${pad}, 'Debian:12', 'pkg-' || ((n / 3 * 7 + n % 3) % 1500)
    from (${series}) x`.execute(db);
  await sql`insert into finding_matches (id, subject_id, installed_version, fixed_versions, target_version, current)
    select n + 1, n + 1, '1.0', case when n % 2 = 0 then '["1.1"]' else null end,
      case when n % 2 = 0 then '1.1' else null end, 1
    from (${series}) x`.execute(db);
}

/**
 * Findings of hosts [from, to): host h has subjects ((h·7919 + j·13) mod 20,000) + 1, j < 1,290
 * (13 is prime to 20,000: distinct). Risk, due date and status from a hash of (h, j).
 */
export async function insertFindings(db: Db, postgres: boolean, from: number, to: number): Promise<void> {
  const hosts = postgres
    ? sql`select h from generate_series(${from}::bigint, ${to - 1}::bigint) as h`
    : sql`with recursive hh(h) as (select ${from} union all select h + 1 from hh where h < ${to - 1}) select h from hh`;
  const js = postgres
    ? sql`select j from generate_series(0::bigint, ${PER_HOST - 1}::bigint) as j`
    : sql`with recursive jj(j) as (select 0 union all select j + 1 from jj where j < ${PER_HOST - 1}) select j from jj`;
  const asset = postgres ? sql`'host-' || lpad(h::text, 5, '0')` : sql`'host-' || printf('%05d', h)`;
  const due = postgres
    ? sql`to_char(date '2026-01-01' + (x % 365)::integer, 'YYYY-MM-DD')`
    : sql`date('2026-01-01', '+' || (x % 365) || ' days')`;
  const status = sql`case when x % 100 < 85 then 'open' when x % 100 < 95 then 'fixed'
    when x % 100 < 98 then 'suppressed' else 'excepted' end`;
  await sql`insert into findings (asset_id, subject_id, id, match_id, status, risk, due_date, first_seen)
    select asset_id, subject_id, null, subject_id, ${status},
      case when x % 10 < 3 then null else (x % 100003) / 100003.0 end,
      case when x % 5 < 2 then null else ${due} end, '2026-01-01T00:00:00.000Z'
    from (select ${asset} as asset_id, ((h * 7919 + j * 13) % ${SUBJECTS}) + 1 as subject_id,
        ((h * 2654435761 + j * 40503) % 1000000007) as x
      from (${hosts}) hs cross join (${js}) js) f
    order by asset_id, subject_id`.execute(db);
}

async function build(store: Store, postgres: boolean, hosts: number): Promise<Record<string, number>> {
  const started = performance.now();
  await insertSubjects(store.db, postgres);
  const chunk = 250;
  for (let h = 0; h < hosts; h += chunk) {
    await store.db
      .transaction()
      .execute((trx) => insertFindings(trx, postgres, h, Math.min(hosts, h + chunk)));
    if ((h / chunk) % 8 === 7) process.stdout.write(`  ${h + chunk} hosts, ${seconds(started)} s\n`);
  }
  const loaded = performance.now();
  await sql`analyze`.execute(store.db);
  return { buildSeconds: (loaded - started) / 1000, analyzeSeconds: (performance.now() - loaded) / 1000 };
}

/**
 * The write cost of migration 0017's two indexes: 100 more hosts' findings (129,000 rows) inserted,
 * and 100 hosts' risk and due dates rewritten, with them and (indexes dropped) without them.
 */
async function indexCost(store: Store, postgres: boolean, hosts: number): Promise<Record<string, number>> {
  const extra = async () => {
    const t = performance.now();
    await store.db.transaction().execute((trx) => insertFindings(trx, postgres, hosts, hosts + 100));
    const s = (performance.now() - t) / 1000;
    await sql`delete from findings where asset_id >= ${hostId(hosts)}`.execute(store.db);
    return s;
  };
  // What the risk and SLA steps do: rewrite the risk and due date of 100 hosts' findings.
  const rescore = async () => {
    const t = performance.now();
    await sql`update findings set risk = coalesce(risk, 0.5) * 0.97,
        due_date = coalesce(due_date, '2026-06-30')
      where asset_id >= ${hostId(1000)} and asset_id < ${hostId(1100)}`.execute(store.db);
    return (performance.now() - t) / 1000;
  };
  const withIndexes = await extra();
  const rescoreWith = await rescore();
  await sql`drop index findings_risk_page`.execute(store.db);
  await sql`drop index findings_due_page`.execute(store.db);
  const withoutIndexes = await extra();
  const rescoreWithout = await rescore();
  const t = performance.now();
  await sql`create index findings_risk_page on findings ((-coalesce(risk, -1)), asset_id, subject_id)`.execute(
    store.db,
  );
  await sql`create index findings_due_page on findings ((coalesce(due_date, '~')), asset_id, subject_id)`.execute(
    store.db,
  );
  return {
    insert100WithIndexes: withIndexes,
    insert100Without: withoutIndexes,
    rescore100With: rescoreWith,
    rescore100Without: rescoreWithout,
    createIndexes: seconds(t),
  };
}

const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

interface Case {
  name: string;
  query: FindingsPageQuery;
}

async function cursorAfter(db: Db, query: FindingsPageQuery, pages: number): Promise<string> {
  let cursor: string | undefined;
  for (let i = 0; i < pages; i++) {
    const page = await loadFindingsPage(db, { ...query, ...(cursor ? { cursor } : {}), total: false });
    cursor = page.nextCursor ?? undefined;
  }
  return cursor as string;
}

async function measure(
  db: Db,
  query: FindingsPageQuery,
  samples: number,
): Promise<{ p50: number; p99: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < samples + 5; i++) {
    const t = performance.now();
    const page = await loadFindingsPage(db, query);
    if (i >= 5) times.push(performance.now() - t);
    rows = page.findings.length;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] as number;
  return { p50: at(0.5), p99: at(0.99), rows };
}

async function runCases(store: Store, samples: number, hosts: number): Promise<void> {
  const db = store.db;
  const live = ['open', 'suppressed', 'excepted'] as const;
  const byRisk: FindingsPageQuery = { status: [...live], sort: 'risk', limit: LIMIT };
  const byDue: FindingsPageQuery = { status: [...live], sort: 'due', limit: LIMIT };
  const suppressed: FindingsPageQuery = { status: ['suppressed'], sort: 'risk', limit: LIMIT };
  const cases: Case[] = [
    { name: 'first page by risk (no total)', query: { ...byRisk, total: false } },
    { name: 'page 50 by risk (cursor)', query: { ...byRisk, cursor: await cursorAfter(db, byRisk, 49) } },
    {
      name: "one asset's findings by risk (+ total)",
      query: { ...byRisk, assetId: hostId(Math.floor(hosts / 2)) },
    },
    { name: 'first page by due (no total)', query: { ...byDue, total: false } },
    { name: 'page 50 by due (cursor)', query: { ...byDue, cursor: await cursorAfter(db, byDue, 49) } },
    { name: 'status=suppressed by risk (no total)', query: { ...suppressed, total: false } },
    {
      name: 'status=suppressed page 50 (cursor)',
      query: { ...suppressed, cursor: await cursorAfter(db, suppressed, 49) },
    },
    {
      name: 'page 50 by asset (cursor)',
      query: { ...byRisk, sort: 'asset', cursor: await cursorAfter(db, { ...byRisk, sort: 'asset' }, 49) },
    },
  ];
  console.log(`  ${'case'.padEnd(42)} ${'rows'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
  for (const c of cases) {
    const r = await measure(db, c.query, samples);
    console.log(
      `  ${c.name.padEnd(42)} ${String(r.rows).padStart(5)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)}`,
    );
  }
  // The first page's total: a count of everything the filters select, measured apart (few samples).
  const counted = await measure(db, byRisk, 5);
  console.log(
    `  ${'first page by risk + total (5 samples)'.padEnd(42)} ${String(counted.rows).padStart(5)} ${counted.p50.toFixed(1).padStart(8)} ${counted.p99.toFixed(1).padStart(8)}`,
  );
}

async function runEngine(engine: 'sqlite' | 'postgres', args: Args): Promise<void> {
  const postgres = engine === 'postgres';
  let home: string | undefined;
  let schema: string | undefined;
  let store: Store;
  if (postgres) {
    schema = `pc_bench_page_${process.pid}`;
    const url = new URL(PG_URL);
    url.searchParams.set('schema', schema);
    store = await openStore({ databaseUrl: url.toString() });
  } else {
    home = mkdtempSync(join(tmpdir(), 'patchcast-bench-page-'));
    store = await openStore({ home, databaseUrl: '' });
  }
  try {
    console.log(`\n${engine}: building ${args.hosts} hosts × ${PER_HOST} findings`);
    const built = await build(store, postgres, args.hosts);
    const n = Number(
      (await sql<{ n: string }>`select count(*) as n from findings`.execute(store.db)).rows[0]?.n,
    );
    console.log(
      `  ${n.toLocaleString('en')} findings in ${built.buildSeconds?.toFixed(1)} s (+ analyze ${built.analyzeSeconds?.toFixed(1)} s), load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    await runCases(store, args.samples, args.hosts);
    const cost = await indexCost(store, postgres, args.hosts);
    console.log(
      `  0017's indexes: 100 hosts' findings inserted in ${cost.insert100WithIndexes?.toFixed(2)} s with them, ${cost.insert100Without?.toFixed(2)} s without; created on the whole table in ${cost.createIndexes} s`,
    );
    console.log(
      `  risk and due date of 100 hosts' findings rewritten in ${cost.rescore100With?.toFixed(2)} s with them, ${cost.rescore100Without?.toFixed(2)} s without`,
    );
    console.log(
      `  load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await store.close();
    if (home) rmSync(home, { recursive: true, force: true });
    if (schema) {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] as string).href) await main();

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  console.log(
    `findings-page bench: ${args.hosts} hosts, ${LIMIT} rows a page, ${args.samples} samples a case`,
  );
  for (const engine of ['sqlite', 'postgres'] as const)
    if (!args.only || args.only === engine) await runEngine(engine, args);
}
