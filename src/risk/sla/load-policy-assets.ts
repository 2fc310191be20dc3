import {
  type Db,
  type FindingScope,
  loadExceptedAssetIds,
  loadVulnerabilityAssetIds,
} from '../../store/index.js';

/**
 * The assets an incremental policies pass judges the SLA of: the scope's assets, the assets with
 * live findings of the scope's vulnerabilities, the assets whose findings the exceptions step just
 * changed (an exception started, lapsed or was revoked), and the assets with excepted findings (a
 * paused due date moves each day). A due date passing needs no pass: the history derives on-track,
 * due-soon and breached from the due date for the day asked. All found by index but the
 * vulnerabilities' (see `loadVulnerabilityAssetIds`).
 */
export async function loadPolicyAssetIds(
  db: Db,
  scope: FindingScope,
  changedByExceptions: Iterable<string>,
): Promise<string[]> {
  const assets = new Set<string>([...(scope.assetIds ?? []), ...changedByExceptions]);
  for (const a of await loadExceptedAssetIds(db)) assets.add(a);
  if (scope.vulnerabilityIds?.length)
    for (const a of await loadVulnerabilityAssetIds(db, scope.vulnerabilityIds)) assets.add(a);
  return [...assets].sort();
}
