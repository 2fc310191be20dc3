import type { Finding } from '../../core/types.js';
import { type Db, loadCveOfVulnerabilities, loadKevAsOf } from '../../store/index.js';
import { loadFindingContexts } from '../context.js';
import type { FindingContext } from '../types.js';

const CHUNK = 500;

/**
 * The contexts SLA rules judge — every finding not fixed, as of `now` — from risk's context loader,
 * plus the advisory's publication date that PCI DSS 6.3.3 counts from.
 */
export async function loadSlaContexts(db: Db, now: Date): Promise<FindingContext[]> {
  const contexts = await loadFindingContexts(db, { asOf: now });
  const ids = new Set<string>();
  for (const c of contexts) {
    ids.add(c.finding.vulnerabilityId);
    if (c.vulnerability.cve) ids.add(c.vulnerability.cve);
  }
  const published = await loadPublished(db, [...ids]);
  for (const c of contexts) {
    const date =
      published.get(c.finding.vulnerabilityId) ??
      (c.vulnerability.cve ? published.get(c.vulnerability.cve) : undefined);
    if (date) c.vulnerability.published = date;
  }
  return contexts;
}

/** Which of these findings' vulnerabilities were listed in CISA KEV as of `asOf` (by finding id). */
export async function loadKevFindingIds(
  db: Db,
  findings: readonly Finding[],
  asOf: Date,
): Promise<Set<string>> {
  const cveOf = await loadCveOfVulnerabilities(db, [...new Set(findings.map((f) => f.vulnerabilityId))]);
  const kev = await loadKevAsOf(db, [...new Set(cveOf.values())], asOf.toISOString());
  const out = new Set<string>();
  for (const f of findings) {
    const cve = cveOf.get(f.vulnerabilityId);
    if (cve && kev.has(cve)) out.add(f.id);
  }
  return out;
}

async function loadPublished(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('vulnerabilities')
      .select(['id', 'published'])
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .where('published', 'is not', null)
      .execute();
    for (const r of rows) if (r.published) out.set(r.id, r.published);
  }
  return out;
}
