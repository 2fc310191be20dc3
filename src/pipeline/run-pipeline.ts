import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { FEED_SOURCES, type FeedProgress, type SyncReport, syncSource } from '../feeds/index.js';
import { collectInventory } from '../inventory/collect.js';
import { importInventory } from '../inventory/import.js';
import { type RefreshResult, refreshFindings } from '../matching/index.js';
import { countVulnerabilities, listAssets, type Store } from '../store/index.js';
import { SNAPSHOT_DIR } from './bundled-snapshot.js';
import { loadRankedFindings, type RankedFinding } from './first-findings.js';

export interface RunOptions {
  config: Config;
  now: Date;
  /** Read every feed from this mirror directory; default: the bundled snapshot on a store that has none. */
  offlineDir?: string;
  progress?: (source: string) => FeedProgress;
  top?: number;
}

export interface RunSummary {
  steps: string[];
  synced: SyncReport[];
  vulnerabilities: number;
  assets: number;
  findings: RefreshResult;
  openFindings: number;
  top: RankedFinding[];
}

/**
 * patchcast's main job, once: bring intelligence in (the bundled real snapshot on a first run, or a
 * mirror), bring the baseline in (the demo fleet when the store has no assets), re-match every asset,
 * and rank what is open. Stages that later issues add (risk, plan) join here.
 */
export async function runPipeline(store: Store, options: RunOptions): Promise<RunSummary> {
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
        now: options.now,
        ...(options.progress ? { progress: options.progress(source.id) } : {}),
      });
      if (report.outcome !== 'skipped') synced.push(report);
    }
  }
  if ((await listAssets(store.db)).length === 0) {
    const collected = await collectInventory([join(SNAPSHOT_DIR, 'fleet'), join(SNAPSHOT_DIR, 'assets.csv')]);
    await importInventory(store, collected, options.now);
    steps.push(`imported the demo fleet (${collected.assets.length} hosts)`);
  }
  const findings = await refreshFindings(store, { now: options.now });
  steps.push('matched every asset against the advisories');
  const ranked = await loadRankedFindings(store.db, options.top ?? 10);
  return {
    steps,
    synced,
    vulnerabilities: await countVulnerabilities(store.db),
    assets: (await listAssets(store.db)).length,
    findings,
    openFindings: ranked.total,
    top: ranked.top,
  };
}
