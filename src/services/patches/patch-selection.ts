/**
 * Patches from the store: open findings read a batch of assets at a time (as `findings` and `sla`
 * do), joined to their installed package's source package and grouped per asset. A patch never spans
 * two assets, so a batch's patches are whole and at most `limit` of them are kept at once.
 */
import { makeTopList } from '../../core/top-list.js';
import type { Finding } from '../../core/types.js';
import {
  comparePatches,
  isPatchIdShape,
  makePatches,
  type PatchFinding,
  type PatchWithFindings,
} from '../../matching/patches.js';
import {
  type Db,
  type FindingBatchOptions,
  getPackageSourceKey,
  loadFindingBatches,
  loadPackageSources,
} from '../../store/index.js';

/** Which patches to read. */
export interface PatchQuery extends FindingBatchOptions {
  /** Only this asset's patches. */
  assetId?: string;
  /** How many to keep, highest risk removed first (all when undefined). */
  limit?: number;
}

/** The first `limit` patches by risk removed, and how many patches there are. */
export interface PatchSelection {
  total: number;
  patches: PatchWithFindings[];
}

/** Open findings grouped into patches, a batch of assets at a time. */
export async function* loadPatchBatches(
  db: Db,
  query: Omit<PatchQuery, 'limit'> = {},
): AsyncGenerator<PatchWithFindings[]> {
  const filter = { status: ['open' as const], ...(query.assetId ? { assetIds: [query.assetId] } : {}) };
  const batching = query.batchAssets === undefined ? {} : { batchAssets: query.batchAssets };
  for await (const batch of loadFindingBatches(db, filter, batching)) {
    yield makePatches(await loadWithSources(db, batch));
  }
}

/** The highest-risk patches (`comparePatches` order) and the number of patches, in bounded memory. */
export async function loadPatchSelection(db: Db, query: PatchQuery = {}): Promise<PatchSelection> {
  const top = makeTopList<PatchWithFindings>(comparePatches, query.limit);
  let total = 0;
  for await (const patches of loadPatchBatches(db, query)) {
    total += patches.length;
    for (const p of patches) top.add(p);
  }
  return { total, patches: top.take() };
}

/**
 * The patch with this id (`<asset>/<ecosystem>/<package>`), computed from its asset's open findings;
 * undefined when the id names no asset or that asset has no such patch open.
 */
export async function loadPatch(db: Db, id: string): Promise<PatchWithFindings | undefined> {
  if (!isPatchIdShape(id)) return undefined;
  const parts = id.split('/');
  // An asset id may hold a '/': try the longest prefix first (the package may hold one too).
  for (let cut = parts.length - 2; cut >= 1; cut--) {
    const assetId = parts.slice(0, cut).join('/');
    for await (const patches of loadPatchBatches(db, { assetId })) {
      const found = patches.find((p) => p.id === id);
      if (found) return found;
    }
  }
  return undefined;
}

async function loadWithSources(db: Db, findings: readonly Finding[]): Promise<PatchFinding[]> {
  const sources = await loadPackageSources(db, [...new Set(findings.map((f) => f.assetId))]);
  return findings.map((f) => {
    const source = sources.get(
      getPackageSourceKey(f.assetId, f.ecosystem, f.packageName, f.installedVersion),
    );
    return source ? { ...f, ...source } : f;
  });
}
