/**
 * Feed import on SQLite and PostgreSQL: every source of FEED_SOURCES synced from the shared-data mirror
 * (`../shared/data`, as `patchcast sync --offline DIR` reads it) into a fresh store, then a second,
 * incremental sync of the same mirror (osv, cve and exploits write nothing; kev and epss re-upsert their
 * whole file, as a re-imported EPSS day replaces that day). Each backend runs in its own child process,
 * so the peak RSS printed is that backend's own; "cpu s" is this process's CPU, not PostgreSQL's.
 *
 * Run: npm run bench feeds -- [--backend sqlite|postgres|both] [--quick]
 *   --quick: only kev, epss and exploits (a few seconds).
 *   PATCHCAST_BENCH_DATA: another mirror directory; PATCHCAST_BENCH_DATABASE_URL: another PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { FEED_SOURCES } from '../src/feeds/registry.js';
import { type SyncReport, syncSource } from '../src/services/sync/sync-source.js';
import { openStore, SQLITE_FILE } from '../src/store/index.js';

type Backend = 'sqlite' | 'postgres';

const DATA_DIR =
  process.env.PATCHCAST_BENCH_DATA ?? fileURLToPath(new URL('../../shared/data/', import.meta.url));
const PG_URL = process.env.PATCHCAST_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const QUICK_SOURCES = ['kev', 'epss', 'exploits'];
/** Pinned so that the run does not depend on the day it is made (the data's cut-off). */
const BENCH_NOW = new Date('2026-03-01T00:00:00Z');

interface Args {
  backends: Backend[];
  quick: boolean;
  child?: Backend;
}

interface SourceFigures {
  source: string;
  outcome: string;
  records: number;
  seconds: number;
  /** CPU time of this process (user + system): the client's share, without PostgreSQL's own work. */
  cpuSeconds: number;
}

interface PassFigures {
  sources: SourceFigures[];
  records: number;
  seconds: number;
  cpuSeconds: number;
}

interface BackendFigures {
  backend: Backend;
  import: PassFigures;
  /** Peak RSS after the first import (MiB). */
  importRssMiB: number;
  incremental: PassFigures;
  /** Peak RSS of the whole child process, second sync included (MiB). */
  maxRssMiB: number;
  databaseBytes: number;
  rows: Record<string, number>;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (flag: string) => {
    const eq = argv.find((a) => a.startsWith(`${flag}=`));
    if (eq) return eq.slice(flag.length + 1);
    const i = argv.indexOf(flag);
    const next = i === -1 ? undefined : argv[i + 1];
    return next === undefined || next.startsWith('--') ? undefined : next;
  };
  const backend = value('--backend');
  const child = value('--child');
  const args: Args = {
    quick: argv.includes('--quick'),
    backends: backend === 'sqlite' || backend === 'postgres' ? [backend] : ['sqlite', 'postgres'],
  };
  if (backend !== undefined && backend !== 'both' && backend !== 'sqlite' && backend !== 'postgres')
    throw new Error(`--backend ${backend}: expected sqlite, postgres or both`);
  if (child === 'sqlite' || child === 'postgres') args.child = child;
  return args;
}

const maxRssMiB = () => process.resourceUsage().maxRSS / 1024;

async function syncAll(store: Awaited<ReturnType<typeof openStore>>, quick: boolean): Promise<PassFigures> {
  const sources = FEED_SOURCES.filter((s) => !quick || QUICK_SOURCES.includes(s.id));
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  const figures: SourceFigures[] = [];
  for (const source of sources) {
    const cpu = cpuSeconds();
    const report: SyncReport = await syncSource(store, source, { offlineDir: DATA_DIR, now: BENCH_NOW });
    figures.push({
      source: source.id,
      outcome: report.outcome,
      records: report.records,
      seconds: report.seconds,
      cpuSeconds: cpuSeconds() - cpu,
    });
    process.stderr.write(
      `  ${source.id}: ${report.outcome}, ${fmt(report.records)} records in ${report.seconds.toFixed(1)} s\n`,
    );
  }
  return {
    sources: figures,
    records: figures.reduce((n, f) => n + f.records, 0),
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSeconds() - cpuStarted,
  };
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

const COUNTED_TABLES = [
  'vulnerabilities',
  'vulnerability_aliases',
  'affected_packages',
  'kev_entries',
  'epss_scores',
  'exploit_sightings',
  'ssvc_decisions',
] as const;

/** The child: one backend, a fresh store, two syncs; prints its figures as JSON on the last line. */
async function runChild(backend: Backend, args: Args): Promise<BackendFigures> {
  const home = backend === 'sqlite' ? mkdtempSync(join(tmpdir(), 'pc-bench-feeds-')) : undefined;
  const schema = `pc_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  try {
    const store = await openStore(home ? { home } : { databaseUrl: url.toString() });
    let first: PassFigures;
    let importRssMiB: number;
    let second: PassFigures;
    const rows: Record<string, number> = {};
    try {
      process.stderr.write(`${backend}: import\n`);
      first = await syncAll(store, args.quick);
      importRssMiB = maxRssMiB();
      process.stderr.write(`${backend}: incremental sync\n`);
      second = await syncAll(store, args.quick);
      for (const table of COUNTED_TABLES) {
        const row = await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst();
        rows[table] = Number(row?.n ?? 0);
      }
    } finally {
      await store.close();
    }
    const databaseBytes = home ? sqliteBytes(home) : await schemaBytes(schema);
    return {
      backend,
      import: first,
      importRssMiB,
      incremental: second,
      maxRssMiB: maxRssMiB(),
      databaseBytes,
      rows,
    };
  } finally {
    if (home) rmSync(home, { recursive: true, force: true });
    else await dropSchema(schema);
  }
}

/** The database file with its WAL (closing the store checkpoints, so the WAL is normally empty). */
function sqliteBytes(home: string): number {
  const file = join(home, SQLITE_FILE);
  return [file, `${file}-wal`].reduce((n, f) => n + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0);
}

async function withPg<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Tables with their indexes and TOAST, summed over the schema. */
function schemaBytes(schema: string): Promise<number> {
  return withPg(async (client) => {
    const result = await client.query<{ bytes: string | null }>(
      `select sum(pg_total_relation_size(c.oid))::bigint as bytes
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relkind in ('r', 'm')`,
      [schema],
    );
    return Number(result.rows[0]?.bytes ?? 0);
  });
}

function dropSchema(schema: string): Promise<void> {
  return withPg(async (client) => {
    await client.query(`drop schema if exists "${schema}" cascade`);
  });
}

const fmt = (n: number) => n.toLocaleString('en');
const rate = (n: number, s: number) => (s > 0 ? fmt(Math.round(n / s)) : '-');
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function report(f: BackendFigures): void {
  console.log(`\n-- ${f.backend}`);
  const row = (name: string, records: string, seconds: string, perSecond: string, cpu: string) =>
    console.log(
      `${name.padEnd(14)}${records.padStart(10)}${seconds.padStart(8)}${perSecond.padStart(12)}${cpu.padStart(8)}`,
    );
  row('source', 'records', 's', 'records/s', 'cpu s');
  const skipped: string[] = [];
  for (const s of f.import.sources) {
    if (s.outcome === 'skipped') skipped.push(s.source);
    else
      row(
        s.source,
        fmt(s.records),
        s.seconds.toFixed(1),
        rate(s.records, s.seconds),
        s.cpuSeconds.toFixed(1),
      );
  }
  const t = f.import;
  row('total', fmt(t.records), t.seconds.toFixed(1), rate(t.records, t.seconds), t.cpuSeconds.toFixed(1));
  if (skipped.length) console.log(`(no mirror entry: ${skipped.join(', ')})`);
  console.log(
    `import: ${t.seconds.toFixed(1)} s wall, ${rate(t.records, t.seconds)} records/s, ` +
      `peak RSS ${f.importRssMiB.toFixed(0)} MiB, database ${mib(f.databaseBytes)}`,
  );
  const again = f.incremental;
  const changed = again.sources.filter((s) => s.records > 0);
  const bySource = again.sources
    .filter((s) => s.outcome !== 'skipped')
    .map((s) => `${s.source} ${s.seconds.toFixed(1)} s`)
    .join(', ');
  console.log(
    `incremental sync: ${again.seconds.toFixed(1)} s (${bySource}), ${fmt(again.records)} records written` +
      (changed.length ? ` (${changed.map((s) => `${s.source} ${fmt(s.records)}`).join(', ')})` : '') +
      `, peak RSS ${f.maxRssMiB.toFixed(0)} MiB`,
  );
  console.log(
    `rows: ${Object.entries(f.rows)
      .map(([t, n]) => `${t} ${fmt(n)}`)
      .join(', ')}`,
  );
}

/** Runs one backend in a fresh process; its last stdout line is the figures as JSON. */
function runChildProcess(backend: Backend, args: Args): BackendFigures {
  const argv = ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', backend];
  if (args.quick) argv.push('--quick');
  const result = spawnSync(process.execPath, argv, {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`the ${backend} run failed (exit ${result.status})`);
  const last = result.stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(last) as BackendFigures;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    console.log(JSON.stringify(await runChild(args.child, args)));
    return;
  }
  if (!existsSync(DATA_DIR)) {
    console.log(`feeds bench skipped: no shared data at ${DATA_DIR} (set PATCHCAST_BENCH_DATA)`);
    return;
  }
  console.log(
    `feeds bench: ${args.quick ? `${QUICK_SOURCES.join(', ')} (--quick)` : 'every source'} from ${DATA_DIR}`,
  );
  const all: BackendFigures[] = [];
  for (const backend of args.backends) {
    const figures = runChildProcess(backend, args);
    report(figures);
    all.push(figures);
  }
  if (all.length > 1) {
    console.log('\nbackend    import s  records/s  client cpu s  peak RSS  database  incremental s');
    for (const f of all)
      console.log(
        `${f.backend.padEnd(9)}${f.import.seconds.toFixed(1).padStart(9)}${rate(f.import.records, f.import.seconds).padStart(11)}` +
          `${f.import.cpuSeconds.toFixed(1).padStart(14)}${`${f.importRssMiB.toFixed(0)} MiB`.padStart(10)}` +
          `${mib(f.databaseBytes).padStart(10)}${f.incremental.seconds.toFixed(1).padStart(15)}`,
      );
  }
}

await main();
