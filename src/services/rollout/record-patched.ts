/**
 * After a job succeeded (its verify step confirmed the exact target versions on the host), the store
 * learns what the host now runs: the asset's packages take the target versions (recorded as an
 * import from the rollout), the asset is re-matched, and the findings the patch closes resolve —
 * without waiting for the next inventory. An agent's own report after the job says the same again.
 */
import type { InstalledPackage, Job } from '../../core/types.js';
import { getJobTargets } from '../../rollout/job-spec.js';
import {
  appendJobEvent,
  countOpenFindingsOfAsset,
  loadAssetPackages,
  replaceAssetPackages,
} from '../../store/index.js';
import { announce } from '../auth/events.js';
import type { ServiceDeps } from '../deps.js';
import { updateFindings } from '../pipeline/update-findings.js';

export interface PatchedRecord {
  packages: number;
  openBefore: number;
  openAfter: number;
}

/** Writes the job's target versions into its asset's packages and re-matches the asset. */
export async function recordPatchedVersions(deps: ServiceDeps, job: Job): Promise<PatchedRecord | undefined> {
  const targets = new Map(getJobTargets(job).map((t) => [t.name, t.version]));
  const db = deps.store.db;
  const installed = await loadAssetPackages(db, job.assetId);
  let changed = 0;
  const packages = installed.map((p): InstalledPackage => {
    const target = targets.get(p.name);
    if (target === undefined || target === p.version) return p;
    changed++;
    // A binary built from a source at the same version (Debian's usual case) keeps them in step.
    const inStep = p.sourceVersion === undefined || p.sourceVersion === p.version;
    const { purl, ...rest } = p;
    // The purl names the version too: moved with it where it is spelt out, else left off.
    const moved = [p.version, encodeURIComponent(p.version)]
      .map((v) =>
        purl?.includes(`@${v}`) ? purl.replace(`@${v}`, `@${encodeURIComponent(target)}`) : undefined,
      )
      .find((x) => x !== undefined);
    return {
      ...rest,
      version: target,
      ...(moved ? { purl: moved } : {}),
      ...(inStep && p.sourceVersion !== undefined ? { sourceVersion: target } : {}),
    };
  });
  if (changed === 0) return undefined;
  const at = deps.clock.now();
  const openBefore = await countOpenFindingsOfAsset(db, job.assetId);
  await db.transaction().execute(async (trx) => {
    await replaceAssetPackages(
      trx,
      { assetId: job.assetId, source: `rollout ${job.id}`, format: 'rollout', importedAt: at.toISOString() },
      packages,
    );
    await appendJobEvent(trx, {
      jobId: job.id,
      at: at.toISOString(),
      kind: 'store:packages',
      data: { changed },
    });
  });
  await updateFindings(deps.store, { assetIds: [job.assetId], now: at, config: deps.config });
  const openAfter = await countOpenFindingsOfAsset(db, job.assetId);
  await appendJobEvent(db, {
    jobId: job.id,
    at: deps.clock.now().toISOString(),
    kind: 'store:findings',
    data: { openBefore, openAfter, resolved: openBefore - openAfter },
  });
  await announce(deps, { kind: 'finding:changed', data: { assets: [job.assetId] } });
  return { packages: changed, openBefore, openAfter };
}
