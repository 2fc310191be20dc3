import { memoizeById } from '../../core/collections.js';
import type { Finding } from '../../core/types.js';
import type { FindingContext } from '../../risk/types.js';
import { type Db, loadCveOfVulnerabilities, loadKevAsOf } from '../../store/index.js';
import {
  type LoadContextOptions,
  loadFindingContextBatches,
  loadFindingContexts,
} from './finding-contexts.js';

/**
 * The contexts SLA rules judge — every finding not fixed, as of `now` — from risk's context loader,
 * plus the advisory's publication date that PCI DSS 6.3.3 counts from. Holds them all: see
 * `loadSlaContextBatches` for a whole fleet.
 */
export async function loadSlaContexts(db: Db, now: Date): Promise<FindingContext[]> {
  return loadFindingContexts(db, { asOf: now, published: true });
}

/** `loadSlaContexts` a batch of assets at a time (`batchAssets`: default the store's), of `assetIds` or every asset. */
export function loadSlaContextBatches(
  db: Db,
  now: Date,
  options: Pick<LoadContextOptions, 'batchAssets' | 'assetIds'> = {},
): AsyncGenerator<FindingContext[]> {
  return loadFindingContextBatches(db, { ...options, asOf: now, published: true });
}

/** Which of these findings' vulnerabilities were listed in CISA KEV as of `asOf` (by finding id). */
export async function loadKevFindingIds(
  db: Db,
  findings: readonly Finding[],
  asOf: Date,
): Promise<Set<string>> {
  return makeKevLookup(db, asOf)(findings);
}

/**
 * `loadKevFindingIds` for batch after batch of findings: each vulnerability is looked up once, in
 * the first batch that names it.
 */
export function makeKevLookup(db: Db, asOf: Date): (findings: readonly Finding[]) => Promise<Set<string>> {
  const listed = memoizeById(async (ids) => {
    const cveOf = await loadCveOfVulnerabilities(db, ids);
    const kev = await loadKevAsOf(db, [...new Set(cveOf.values())], asOf.toISOString());
    const out = new Map<string, true>();
    for (const id of ids) {
      const cve = cveOf.get(id);
      if (cve && kev.has(cve)) out.set(id, true);
    }
    return out;
  });
  return async (findings) => {
    const known = await listed(findings.map((f) => f.vulnerabilityId));
    return new Set(findings.filter((f) => known.has(f.vulnerabilityId)).map((f) => f.id));
  };
}
