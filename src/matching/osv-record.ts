import type { AffectedPackage, OsvRange, Vulnerability } from '../core/types.js';

/** The fields of an OSV record matching needs (a loose view: feeds validate records properly). */
export interface OsvRecord {
  id: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  published?: string;
  modified?: string;
  withdrawn?: string;
  affected?: Array<{
    package?: { ecosystem?: string; name?: string; purl?: string };
    ranges?: OsvRange[];
    versions?: string[];
  }>;
}

/** An OSV record as a stored vulnerability, with every `fixed` event collected per affected package. */
export function getVulnerabilityFromOsv(record: OsvRecord, source = 'osv'): Vulnerability {
  const affected: AffectedPackage[] = [];
  for (const a of record.affected ?? []) {
    if (!a.package?.ecosystem || !a.package.name) continue;
    const ranges = a.ranges ?? [];
    const fixed = ranges
      .filter((r) => r.type !== 'GIT')
      .flatMap((r) => r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : [])));
    const entry: AffectedPackage = {
      ecosystem: a.package.ecosystem,
      name: a.package.name,
      ranges,
      versions: a.versions ?? [],
      fixedVersions: [...new Set(fixed)],
    };
    if (a.package.purl) entry.purl = a.package.purl;
    affected.push(entry);
  }
  const v: Vulnerability = { id: record.id, source, aliases: record.aliases ?? [], affected };
  if (record.summary) v.summary = record.summary;
  if (record.details) v.details = record.details;
  if (record.published) v.published = record.published;
  if (record.modified) v.modified = record.modified;
  if (record.withdrawn) v.withdrawn = record.withdrawn;
  return v;
}
