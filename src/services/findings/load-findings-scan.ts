import type { Finding } from '../../core/types.js';
import type { ScanResult } from '../../matching/scan.js';
import { loadInstalledPurl } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';

/**
 * Stored findings in the shape of a scan result, with their advisories' details, for the export
 * formats (CSV, SARIF, CycloneDX VDR). Needs `read`.
 */
export async function loadFindingsScan(
  deps: ServiceDeps,
  input: { findings: readonly Finding[] },
): Promise<ScanResult> {
  authorize(deps.actor, 'read');
  const db = deps.store.db;
  // The matcher's modules load only for an export.
  const { getFindingsAsScan } = await import('../../matching/findings-export.js');
  const { makeStoreAdvisorySource } = await import('../matching/store-advisory-source.js');
  const ids = [...new Set(input.findings.map((f) => f.vulnerabilityId))];
  const details = await makeStoreAdvisorySource(db).loadDetails(ids);
  const purls: Array<string | undefined> = [];
  for (const f of input.findings) purls.push(await loadInstalledPurl(db, f));
  return getFindingsAsScan(input.findings, details, purls);
}
