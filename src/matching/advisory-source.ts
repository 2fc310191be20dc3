import { getOrCreate } from '../core/collections.js';
import { getPackageLookupKey } from '../core/package-name.js';
import type { Vulnerability } from '../core/types.js';
import { FeedError, parseFeedJson } from '../feeds/errors.js';
import { listTreeFiles } from '../feeds/file-tree.js';
import { osvRecordSchema, toVulnerability } from '../feeds/osv/osv-record.js';
import type { AdvisoryEntry, PackageKey } from '../store/index.js';

/**
 * What matching needs of the advisories: entries by package, and each vulnerability's id data. The
 * store's (what `patchcast sync` brought in) is `src/services/matching/store-advisory-source.ts`.
 */
export interface AdvisorySource {
  loadEntries(packages: readonly PackageKey[]): Promise<Map<string, AdvisoryEntry[]>>;
  loadDetails(ids: readonly string[]): Promise<Map<string, VulnerabilityDetails>>;
  /** Every ecosystem (with its release, `Debian:12`) some advisory names: what coverage is judged by. */
  loadEcosystems(): Promise<string[]>;
}

export interface VulnerabilityDetails {
  aliases: string[];
  severity?: string;
  cvssScore?: number;
  summary?: string;
}

/**
 * Advisories read from OSV records on disk — a directory, a zip (OSV's `all.zip`) or one JSON file —
 * for a one-off `patchcast scan --advisories PATH` that needs no store.
 */
export async function loadOsvAdvisorySource(
  path: string,
  maxBytes = 64 * 1024 * 1024,
): Promise<AdvisorySource> {
  const entries = new Map<string, AdvisoryEntry[]>();
  const details = new Map<string, VulnerabilityDetails>();
  for await (const file of listTreeFiles('advisories', path, (name) => name.endsWith('.json'), maxBytes)) {
    for (const vuln of parseRecords(file.where, await file.text())) addVulnerability(vuln, entries, details);
  }
  return {
    loadEntries: async (packages) => {
      const out = new Map<string, AdvisoryEntry[]>();
      for (const p of packages) {
        const key = getPackageLookupKey(p.ecosystem, p.name);
        const found = entries.get(key);
        if (found) out.set(key, found);
      }
      return out;
    },
    loadDetails: async (ids) =>
      new Map(ids.flatMap((id) => (details.has(id) ? [[id, details.get(id) as VulnerabilityDetails]] : []))),
    loadEcosystems: async () =>
      [...new Set([...entries.values()].flatMap((list) => list.map((e) => e.ecosystem)))].sort(),
  };
}

function parseRecords(where: string, text: string): Vulnerability[] {
  const json = parseFeedJson('advisories', where, undefined, text);
  const list = Array.isArray(json) ? json : [json];
  return list.map((raw, i) => {
    const parsed = osvRecordSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FeedError(
        'advisories',
        where,
        Array.isArray(json) ? `[${i}]` : undefined,
        `not an OSV record: ${issue?.path.join('.')}: ${issue?.message}`,
      );
    }
    return toVulnerability(parsed.data);
  });
}

function addVulnerability(
  v: Vulnerability,
  entries: Map<string, AdvisoryEntry[]>,
  details: Map<string, VulnerabilityDetails>,
): void {
  const d: VulnerabilityDetails = { aliases: v.aliases };
  if (v.severity) d.severity = v.severity;
  if (v.cvssScore !== undefined) d.cvssScore = v.cvssScore;
  if (v.summary) d.summary = v.summary;
  details.set(v.id, d);
  // A withdrawn record is no longer valid (OSV schema): it matches nothing.
  if (v.withdrawn) return;
  for (const a of v.affected ?? []) {
    const key = getPackageLookupKey(a.ecosystem, a.name);
    getOrCreate(entries, key, () => []).push({
      vulnerabilityId: v.id,
      ecosystem: a.ecosystem,
      name: a.name,
      ranges: a.ranges ?? [],
      versions: a.versions ?? [],
    });
  }
}
