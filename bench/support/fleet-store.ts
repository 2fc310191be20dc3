/**
 * Phases of the matching benchmark, each run in its own process so each peak RSS is its own:
 * advisories (import), load (fleet inventory import) and match. Each returns plain JSON figures.
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { matchFleet } from '../../src/services/matching/match-fleet.js';
import { openStore, replaceAssetPackages, type Store, upsertAsset } from '../../src/store/index.js';
import { loadAdvisorySet, loadLanguagePool } from './advisory-set.js';
import { generateFleet, toInstalledPackages } from './demo-fleet.js';

export const DATA_DIR =
  process.env.PATCHCAST_BENCH_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const HOSTS_PER_TRANSACTION = 100;
export const BENCH_NOW = new Date('2026-03-01T00:00:00Z');

export interface PhaseOptions {
  location: { home: string } | { databaseUrl: string };
  hosts: number;
  seed: number;
  /** Match a second time (every finding known): the steady-state daily re-match. */
  rematch: boolean;
}

export interface PhaseFigures {
  seconds: number;
  maxRssMiB: number;
  [key: string]: unknown;
}

/** This process's peak resident memory so far, MiB. */
export function maxRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Opens the phase's store, runs `fn` and closes the store. */
export async function withStore<T>(options: PhaseOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(options.location);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function runAdvisoriesPhase(options: PhaseOptions): Promise<PhaseFigures> {
  const started = performance.now();
  const affected = await withStore(options, (store) => loadAdvisorySet(store, DATA_DIR));
  return { seconds: (performance.now() - started) / 1000, maxRssMiB: maxRssMiB(), affected };
}

export async function runLoadPhase(options: PhaseOptions): Promise<PhaseFigures> {
  return withStore(options, async (store) => {
    const languagePool = await loadLanguagePool(store);
    const started = performance.now();
    const fleet = generateFleet({
      hosts: options.hosts,
      seed: options.seed,
      fleetDir: `${DATA_DIR}fleet`,
      languagePool,
    });
    let packages = 0;
    let batch: ReturnType<typeof toInstalledPackages>[] = [];
    let names: string[] = [];
    const flush = async () => {
      await store.db.transaction().execute(async (db) => {
        for (const [i, name] of names.entries()) {
          const at = BENCH_NOW.toISOString();
          await upsertAsset(
            db,
            { id: name, name, kind: 'host', internetExposed: false, services: [], tags: [] },
            at,
          );
          await replaceAssetPackages(
            db,
            { assetId: name, source: 'bench', format: 'agent-report', importedAt: at },
            batch[i] ?? [],
          );
        }
      });
      batch = [];
      names = [];
    };
    for (const report of fleet) {
      const installed = toInstalledPackages(report);
      packages += installed.length;
      batch.push(installed);
      names.push(report.host.id);
      if (batch.length >= HOSTS_PER_TRANSACTION) await flush();
    }
    if (batch.length > 0) await flush();
    const seconds = (performance.now() - started) / 1000;
    await settlePostgres(store);
    return {
      seconds,
      maxRssMiB: maxRssMiB(),
      hosts: options.hosts,
      packages,
      languagePool: languagePool.length,
    };
  });
}

/**
 * PostgreSQL: what the server does on its own after a large import, done before the match is timed.
 * VACUUM sets the visibility map (autovacuum would; it is off on this machine's server), without
 * which reading holders from the index takes a heap fetch per row (1.37M holders: 1.9 s instead of 4.0 s); a CHECKPOINT
 * writes the import's WAL out, which would otherwise overlap the match (back to back: +5–9 s).
 */
async function settlePostgres(store: Store): Promise<void> {
  if (store.dialect !== 'postgres') return;
  await sql`vacuum (analyze) asset_packages`.execute(store.db);
  await sql`checkpoint`.execute(store.db).catch((error: unknown) => {
    console.error(`no checkpoint before the match (${error instanceof Error ? error.message : error})`);
  });
}

export async function runMatchPhase(options: PhaseOptions): Promise<PhaseFigures> {
  return withStore(options, async (store) => {
    const started = performance.now();
    const first = await matchFleet(store, { now: BENCH_NOW });
    const seconds = (performance.now() - started) / 1000;
    const { problems, ...figures } = first;
    const out: PhaseFigures = { seconds, maxRssMiB: maxRssMiB(), problems: problems.length, first: figures };
    if (options.rematch) out.rematch = await rematch(store);
    return out;
  });
}

async function rematch(store: Store): Promise<Record<string, unknown>> {
  const started = performance.now();
  const { problems: _problems, ...figures } = await matchFleet(store, {
    now: new Date(BENCH_NOW.getTime() + 3_600_000),
  });
  return { seconds: (performance.now() - started) / 1000, maxRssMiB: maxRssMiB(), ...figures };
}
