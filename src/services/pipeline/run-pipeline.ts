import { join } from 'node:path';
import { PatchcastError } from '../../core/errors.js';
import { FEED_SOURCES, type FeedProgress } from '../../feeds/index.js';
import { collectInventory } from '../../inventory/collect.js';
import { type Patch, toPatchJson } from '../../matching/patches.js';
import { SNAPSHOT_DIR } from '../../pipeline/bundled-snapshot.js';
import type { AsOf } from '../../risk/as-of.js';
import {
  appendAuditEvent,
  countFindings,
  countPendingMatchKeys,
  countVulnerabilities,
  listAssets,
  loadUnmatchedAssets,
  type StoreDialect,
} from '../../store/index.js';
import { recordEvent } from '../auth/events.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { importInventory } from '../inventory/import-inventory.js';
import { loadCoverageWarnings } from '../matching/load-coverage-warnings.js';
import type { RefreshResult } from '../matching/refresh.js';
import { loadPatchSelection } from '../patches/patch-selection.js';
import type { PolicyResult } from '../risk/apply-policies.js';
import { loadAsOf } from '../risk/load-as-of.js';
import { getRiskRanked, type RiskRankedFinding } from '../risk/score-findings.js';
import { type SyncReport, syncSource } from '../sync/sync-source.js';
import { updateFindings } from './update-findings.js';

export interface RunOptions {
  /** Read every feed from this mirror directory; default: the bundled snapshot on a store that has none. */
  offlineDir?: string;
  progress?: (source: string) => FeedProgress;
  top?: number;
  /** Progress of the exploit forecast (stored scores read, or the population scored and stored). */
  onStep?: (text: string) => void;
  /**
   * Match every asset whole even when every inventory is matched: each distinct package is evaluated
   * again and the holders of any package whose matches changed are compared (after an upgrade of
   * patchcast's matching, say). Default: incremental once the fleet is matched.
   */
  fullMatch?: boolean;
  /**
   * Import the bundled demo fleet when the store has no assets (`patchcast run --demo`). Without it
   * a store with no assets is refused before anything is written (STORE_NO_ASSETS).
   */
  demo?: boolean;
}

export interface RunSummary {
  steps: string[];
  synced: SyncReport[];
  vulnerabilities: number;
  assets: number;
  /**
   * `whole`: every asset matched (a first run, or an inventory not matched yet); `incremental`: only
   * the packages whose advisories changed since the last match (`findings.distinctPackages` counts them).
   */
  match: 'whole' | 'incremental';
  findings: RefreshResult;
  policy: PolicyResult;
  openFindings: number;
  /** Open findings, highest risk first. */
  top: RiskRankedFinding[];
  /** First to patch: open findings grouped into patches, highest risk removed first (`top` of them). */
  patches: Patch[];
  store: { dialect: StoreDialect; location: string };
  /** The day of the run and the store's newest data day. */
  asOf: AsOf;
  /** What the store cannot match (no advisories for an asset's ecosystem or release). */
  warnings: string[];
}

/**
 * patchcast's main job, once: bring intelligence in (the bundled real snapshot on a first run, or a
 * mirror), bring the baseline in (the demo fleet when asked and the store has no assets), match (every asset
 * when an inventory is not matched yet, else only the packages whose advisories changed), score every
 * finding's risk (exploit likelihood × impact × exposure, SSVC) and rank what is open.
 * Stages that later issues add (plan) join here. Needs `operate`; the demo import is audited as
 * `inventory:import` and the run as `pipeline:run` (each step commits on its own, so a crash resumes).
 */
export async function runPipeline(deps: ServiceDeps, options: RunOptions = {}): Promise<RunSummary> {
  authorize(deps.actor, 'operate');
  const store = deps.store;
  const now = deps.clock.now();
  const empty = (await listAssets(store.db)).length === 0;
  if (empty && !options.demo)
    throw new PatchcastError('STORE_NO_ASSETS', `the store (${store.location}) holds no assets`);
  const steps: string[] = [];
  const synced: SyncReport[] = [];
  const offline =
    options.offlineDir ?? ((await countVulnerabilities(store.db)) === 0 ? SNAPSHOT_DIR : undefined);
  if (offline) {
    steps.push(
      offline === SNAPSHOT_DIR ? 'loaded the bundled snapshot of real public data' : `synced from ${offline}`,
    );
    for (const source of FEED_SOURCES) {
      const report = await syncSource(store, source, {
        offlineDir: offline,
        now,
        ...(options.progress ? { progress: options.progress(source.id) } : {}),
      });
      if (report.outcome !== 'skipped') synced.push(report);
    }
  }
  if (empty) {
    const collected = await collectInventory([join(SNAPSHOT_DIR, 'fleet'), join(SNAPSHOT_DIR, 'assets.csv')]);
    await importInventory(deps, { collected, match: false });
    steps.push(`imported the demo fleet (${collected.assets.length} hosts)`);
  }
  // A fleet already matched whole needs only the holders of packages whose advisories changed.
  const match =
    !options.fullMatch && (await loadUnmatchedAssets(store.db)).length === 0 ? 'incremental' : 'whole';
  const pendingNames = match === 'incremental' ? await countPendingMatchKeys(store.db) : 0;
  const top = options.top ?? 10;
  const {
    matched,
    top: ranked,
    policy,
  } = await updateFindings(store, {
    now,
    config: deps.config,
    top,
    ...(options.onStep ? { onStep: options.onStep } : {}),
    ...(match === 'incremental' ? { advisoryKeys: 'pending' as const } : {}),
  });
  steps.push(
    match === 'whole'
      ? 'matched every asset against the advisories'
      : `re-matched ${matched.distinctPackages} installed packages of ${pendingNames} names with changed advisories (${matched.touchedAssets} assets touched)`,
  );
  steps.push('scored every finding: risk and SSVC');
  steps.push(
    `applied exceptions and SLA policies (${policy.sla.breached} breached, ${policy.sla['due-soon']} due soon)`,
  );
  const openFindings = await countFindings(store.db, { status: ['open'] });
  await recordRun(deps, now, { match, synced: synced.map((s) => s.source), openFindings });
  return {
    steps,
    synced,
    vulnerabilities: await countVulnerabilities(store.db),
    assets: (await listAssets(store.db)).length,
    match,
    findings: matched,
    policy,
    openFindings,
    top: getRiskRanked(ranked, top),
    patches: (await loadPatchSelection(store.db, { limit: top })).patches.map(toPatchJson),
    store: { dialect: store.dialect, location: store.location },
    asOf: await loadAsOf(store.db, now),
    warnings: (await loadCoverageWarnings(store.db)).map((w) => w.message),
  };
}

/**
 * The run's audit event, after its steps committed, and the `finding:changed` event that tells the
 * API's readers (server-sent events) the findings moved, in one transaction.
 */
async function recordRun(deps: ServiceDeps, at: Date, data: Record<string, unknown>): Promise<void> {
  await deps.store.db.transaction().execute(async (db) => {
    await appendAuditEvent(db, { at: at.toISOString(), actor: deps.actor.id, action: 'pipeline:run', data });
    await recordEvent(db, { at: at.toISOString(), kind: 'finding:changed', data: { run: data.match } });
  });
}
