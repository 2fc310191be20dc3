import { type CoverageWarning, getCoverageWarnings } from '../../matching/coverage.js';
import { type Db, loadAdvisoryEcosystems, loadAssetEcosystems } from '../../store/index.js';

/** `getCoverageWarnings` for the store's assets (all, or the given ones) against its advisories. */
export async function loadCoverageWarnings(db: Db, assetIds?: readonly string[]): Promise<CoverageWarning[]> {
  const assets = await loadAssetEcosystems(db, assetIds);
  if (assets.length === 0) return [];
  return getCoverageWarnings(assets, await loadAdvisoryEcosystems(db));
}
