import { getPackageLookupKey } from '../../core/package-name.js';
import type { InstalledPackage } from '../../core/types.js';
import { getEffectivePackage } from '../../matching/effective-package.js';
import { evaluatePackages } from '../../matching/evaluate.js';
import type { MatchProblem } from '../../matching/types.js';
import {
  type AssetMatchState,
  buildFindingIndexes,
  clearPendingMatchKeys,
  createFanoutTables,
  type Db,
  type DistinctPackageRow,
  diffFindings,
  dropFanoutTables,
  dropFindingIndexes,
  ensureMatchStates,
  insertFindingsOfAssets,
  loadAdvisoryEntries,
  loadAssetsWithFindings,
  loadDistinctPackages,
  loadHolders,
  loadLatestImports,
  loadMatchStates,
  loadPendingMatchKeys,
  recountFindings,
  removePendingMatchKeys,
  type Store,
  saveMatchedImports,
  setScopeAssets,
  syncMatches,
  touchMatchedAt,
  withEmptyAssets,
} from '../../store/index.js';

export { getFindingId } from '../../store/index.js';

export interface MatchFleetOptions {
  /** Only these assets (a new inventory re-matches only what it touches); all when omitted. */
  assetIds?: string[];
  /**
   * Only installed packages looked up under these advisory keys (`getPackageLookupKey`), fanned out
   * only to their holders; `pending` takes the keys the syncs since the last match recorded and
   * removes them with the match. A set given here stays queued: the caller removes it.
   */
  advisoryKeys?: ReadonlySet<string> | 'pending';
  now: Date;
}

export interface StageTiming {
  stage: string;
  items: number;
  seconds: number;
}

export interface MatchFleetResult {
  distinctPackages: number;
  vulnerablePackages: number;
  /** Live findings of the assets matched (all, the ones given, or those an advisory change touched). */
  findings: number;
  resolved: number;
  /** Findings inserted and updated (reopened, another version) by this run. */
  inserted: number;
  updated: number;
  /** Assets whose findings were compared or written. */
  touchedAssets: number;
  problems: MatchProblem[];
  stages: StageTiming[];
}

type Timed = <T>(stage: string, fn: () => Promise<T>, count: (t: T) => number) => Promise<T>;

/**
 * Matches the fleet's inventory against the stored advisories, writing only what changed. Each
 * distinct (ecosystem, name, version) is evaluated once and compared with its stored matches. Assets
 * never matched get their findings in one INSERT … SELECT inside the database; an asset with a new
 * inventory is compared finding by finding; other assets are compared only for package names whose
 * matches changed. An asset matched whole gets its `matched_at` bumped, not each finding's
 * `last_seen`. Runs in one transaction.
 */
export async function matchFleet(store: Store, options: MatchFleetOptions): Promise<MatchFleetResult> {
  const stages: StageTiming[] = [];
  const timed: Timed = async (stage, fn, count) => {
    const started = performance.now();
    const value = await fn();
    stages.push({ stage, items: count(value), seconds: (performance.now() - started) / 1000 });
    return value;
  };
  let committing = 0;
  const result = await store.db.transaction().execute(async (db) => {
    const matched = await runMatch(db, options, timed);
    committing = performance.now();
    return matched;
  });
  // The commit writes what the cache still holds (SQLite: and checkpoints the WAL): part of the match.
  stages.push({ stage: 'commit', items: 0, seconds: (performance.now() - committing) / 1000 });
  return { ...result, stages };
}

async function runMatch(db: Db, options: MatchFleetOptions, timed: Timed) {
  const at = options.now.toISOString();
  const pending = options.advisoryKeys === 'pending' ? await loadPendingMatchKeys(db) : options.advisoryKeys;
  const whole = !options.assetIds && !pending;
  const distinct = await timed(
    'load distinct packages',
    () => loadDistinctPackages(db, options.assetIds),
    (r) => r.length,
  );
  const packages = selectPackages(distinct, pending);
  const advisories = await timed(
    'load advisories',
    () => loadAdvisoryEntries(db, packages.map(getEffectivePackage)),
    (m) => m.size,
  );
  const { matched, problems } = await timed(
    'evaluate',
    async () => evaluatePackages(packages, advisories),
    (r) => r.matched.size,
  );
  const synced = await timed(
    'compare matches',
    () => syncMatches(db, packages, matched, whole),
    (s) => s.written,
  );
  const scope = await timed(
    'load asset states',
    () => loadScope(db, options, pending !== undefined),
    (s) => s.changed.length,
  );
  await createFanoutTables(db, synced.keys);
  let counts: Awaited<ReturnType<typeof writeFindings>>;
  try {
    counts = await writeFindings(db, scope, synced, at, timed);
  } finally {
    await dropFanoutTables(db);
  }
  const touched = new Set([...scope.changed, ...counts.whole.assets, ...counts.names.assets]);
  // A first match into an empty table wrote only open findings, counted from the asset index alone.
  const onlyOpen = counts.intoEmpty && counts.whole.assets.size === 0 && counts.names.assets.size === 0;
  await timed(
    'record asset state',
    () => recordState(db, scope, touched, at, onlyOpen),
    (n) => n,
  );
  // A whole match covers every queued key; `pending` consumes the keys it read. Keys given as a set
  // belong to the caller (`updateFindings` removes them once scoring and policies have run too).
  if (whole) await clearPendingMatchKeys(db);
  else if (options.advisoryKeys === 'pending' && pending) await removePendingMatchKeys(db, pending);
  const states = await loadMatchStates(
    db,
    whole ? undefined : [...(pending ? touched : (scope.run as string[]))],
  );
  return {
    distinctPackages: packages.length,
    vulnerablePackages: matched.size,
    findings: [...states.values()].reduce((sum, s) => sum + s.findings, 0),
    resolved: counts.whole.resolved + counts.names.resolved,
    inserted: counts.inserted + counts.whole.inserted + counts.names.inserted,
    updated: counts.whole.updated + counts.names.updated,
    touchedAssets: touched.size,
    problems,
  };
}

function selectPackages(
  distinct: readonly DistinctPackageRow[],
  pending?: ReadonlySet<string>,
): InstalledPackage[] {
  const packages = distinct.map(toInstalled);
  if (!pending) return packages;
  return packages.filter((p) => {
    const e = getEffectivePackage(p);
    return pending.has(getPackageLookupKey(e.ecosystem, e.name));
  });
}

function toInstalled(row: DistinctPackageRow): InstalledPackage {
  const pkg: InstalledPackage = { ecosystem: row.ecosystem, name: row.name, version: row.version };
  if (row.source_name) pkg.sourceName = row.source_name;
  if (row.source_version) pkg.sourceVersion = row.source_version;
  return pkg;
}

interface Scope {
  /** Assets matched whole this run: every asset, the ones given, or none (advisory keys only). */
  run: string[] | 'all';
  /** Assets compared whole: those given, or those with an inventory import not matched yet. */
  changed: string[];
  imports: Map<string, number | null>;
  states: Map<string, AssetMatchState>;
}

async function loadScope(db: Db, options: MatchFleetOptions, advisoryOnly: boolean): Promise<Scope> {
  const states = await loadMatchStates(db, options.assetIds);
  if (advisoryOnly) return { run: [], changed: [], imports: new Map(), states };
  const imports = await loadLatestImports(db, options.assetIds);
  const changed = options.assetIds
    ? [...new Set(options.assetIds)].filter((id) => imports.has(id))
    : [...imports]
        .filter(([id, importId]) => !states.has(id) || states.get(id)?.importId !== importId)
        .map(([id]) => id);
  return { run: options.assetIds ?? 'all', changed, imports, states };
}

async function writeFindings(
  db: Db,
  scope: Scope,
  synced: Awaited<ReturnType<typeof syncMatches>>,
  at: string,
  timed: Timed,
) {
  await ensureMatchStates(db, scope.states, scope.changed);
  const known = await loadAssetsWithFindings(db, scope.changed);
  const fresh = scope.changed.filter((id) => !known.has(id));
  const all = scope.run === 'all' && fresh.length === scope.imports.size;
  const bulk = fresh.length > 0 && all ? await dropFindingIndexes(db) : undefined;
  const inserted = await timed(
    'write findings of new assets',
    async () => {
      if (fresh.length === 0) return 0;
      if (all) return insertFindingsOfAssets(db, 'all', at, synced.keys);
      await setScopeAssets(db, fresh);
      return insertFindingsOfAssets(db, 'pc_assets', at, synced.keys);
    },
    (n) => n,
  );
  if (bulk)
    await timed(
      'index findings',
      () => buildFindingIndexes(db, bulk),
      () => inserted,
    );
  const intoEmpty = bulk !== undefined;
  const whole = await timed(
    'compare changed assets',
    async () => {
      if (known.size === 0) return { inserted: 0, updated: 0, resolved: 0, assets: new Set<string>() };
      await setScopeAssets(db, [...known]);
      const holders = withEmptyAssets(await loadHolders(db, 'pc_assets'), [...known]);
      return diffFindings(db, holders, synced.keys, scope.states, at);
    },
    (c) => c.inserted + c.updated + c.resolved,
  );
  const names = await timed(
    'compare holders of changed packages',
    async () => {
      const others = scope.run === 'all' ? scope.imports.size - scope.changed.length : 1;
      if (synced.changedNames.size === 0 || others === 0)
        return { inserted: 0, updated: 0, resolved: 0, assets: new Set<string>() };
      await setScopeAssets(db, scope.changed);
      const holders = await loadHolders(db, 'changed');
      await ensureMatchStates(
        db,
        scope.states,
        holders.map((h) => h.assetId),
      );
      return diffFindings(db, holders, synced.keys, scope.states, at, synced.changedSubjects);
    },
    (c) => c.inserted + c.updated + c.resolved,
  );
  return { inserted, intoEmpty, whole, names };
}

async function recordState(
  db: Db,
  scope: Scope,
  touched: Set<string>,
  at: string,
  onlyOpen: boolean,
): Promise<number> {
  await saveMatchedImports(db, scope.changed, at);
  if (scope.run === 'all') await touchMatchedAt(db, at);
  else if (scope.run.length > 0) await touchMatchedAt(db, at, scope.run);
  const fullRecount = scope.run === 'all' && touched.size === scope.imports.size;
  await recountFindings(db, fullRecount ? 'all' : [...touched], { onlyOpen });
  return touched.size;
}
