import type { Finding } from '../../core/types.js';
import type { ScanResult } from '../../matching/scan.js';
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
  // The matcher's modules load only for an export.
  const { loadFindingsAsScan } = await import('../../matching/findings-export.js');
  return loadFindingsAsScan(deps.store.db, input.findings);
}
