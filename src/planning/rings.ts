import type { PatchJob, PlanAsset, RingConfig, RingedJob } from './types.js';

/** Used when the config declares no rings: everything in one ring. */
export const DEFAULT_RINGS: Array<Pick<RingConfig, 'id' | 'soakMinutes'>> = [{ id: 'all', soakMinutes: 0 }];

/** FNV-1a: a stable per-asset number in [0, 100) so percent selectors never reshuffle. */
export function getAssetPercentile(assetId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < assetId.length; i++) {
    hash ^= assetId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash % 10_000) / 100;
}

function matchesRing(ring: Pick<RingConfig, 'select'>, asset: PlanAsset): boolean {
  const select = ring.select;
  if (!select) return true;
  const hasSelector = select.tags || select.environments || select.assets;
  const chosen =
    !hasSelector ||
    (select.assets?.includes(asset.id) ?? false) ||
    (select.tags?.some((t) => asset.tags.includes(t)) ?? false) ||
    (asset.environment !== undefined && (select.environments?.includes(asset.environment) ?? false));
  if (!chosen) return false;
  return select.percent === undefined || getAssetPercentile(asset.id) < select.percent;
}

/**
 * Ring index of each asset: the first ring (in config order) whose selector matches; a ring without
 * selector takes what is left; assets matching nothing go to the last ring.
 */
export function assignRings(
  assets: readonly PlanAsset[],
  rings: ReadonlyArray<Pick<RingConfig, 'id' | 'select'>>,
): Map<string, number> {
  const result = new Map<string, number>();
  for (const asset of assets) {
    const index = rings.findIndex((ring) => matchesRing(ring, asset));
    result.set(asset.id, index < 0 ? Math.max(0, rings.length - 1) : index);
  }
  return result;
}

/**
 * Puts jobs in rings; a job that depends on a job in a later ring moves to that ring (the database
 * tier cannot be patched after the application tier that needs it).
 */
export function placeJobsInRings(
  jobs: readonly PatchJob[],
  ringOf: ReadonlyMap<string, number>,
  dependencies: ReadonlyArray<[string, string]>,
): RingedJob[] {
  const ringed = jobs.map((job) => ({ ...job, ring: ringOf.get(job.assetId) ?? 0 }));
  const index = new Map(ringed.map((j) => [j.id, j]));
  for (let pass = 0, changed = true; changed && pass < ringed.length + 1; pass++) {
    changed = false;
    for (const [before, after] of dependencies) {
      const a = index.get(before);
      const b = index.get(after);
      if (a && b && b.ring < a.ring) {
        b.ring = a.ring;
        changed = true;
      }
    }
  }
  return ringed;
}

/**
 * Soak after each ring, lengthened by `riskySoakFactor` when the ring holds a risky patch
 * (failure probability above `riskyThreshold`).
 */
export function getRingSoaks(
  rings: ReadonlyArray<Pick<RingConfig, 'id' | 'soakMinutes'>>,
  jobs: readonly RingedJob[],
  options: { riskyThreshold: number; riskySoakFactor: number },
): Array<{ id: string; soakMinutes: number }> {
  return rings.map((ring, i) => {
    const risky = jobs.some((j) => j.ring === i && j.failureProbability > options.riskyThreshold);
    return {
      id: ring.id,
      soakMinutes: risky ? ring.soakMinutes * options.riskySoakFactor : ring.soakMinutes,
    };
  });
}
