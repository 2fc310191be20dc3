import { z } from 'zod';
import type { AffectedPackage, OsvRange, Vulnerability } from '../../core/types.js';
import { getCvss3BaseScore, getCvssSeverity, type SourcedCvss } from '../cvss.js';
import { mergeReferences, toIsoDate } from '../record-fields.js';

// Only the OSV fields patchcast uses (OSV schema 1.x, https://ossf.github.io/osv-schema/).
const date = z.string().refine((s) => toIsoDate(s) !== undefined, 'expected an RFC 3339 date');
const version = z.union([z.string(), z.number().transform(String)]);
const event = z.union([
  z.object({ introduced: version }),
  z.object({ fixed: version }),
  z.object({ last_affected: version }),
  z.object({ limit: version }),
]);
const range = z.object({
  type: z.enum(['ECOSYSTEM', 'SEMVER', 'GIT']),
  repo: z.string().optional(),
  events: z.array(event).min(1),
});
const severity = z.object({ type: z.string(), score: z.string() });
const affected = z.object({
  package: z
    .object({ ecosystem: z.string().min(1), name: z.string().min(1), purl: z.string().optional() })
    .optional(),
  ranges: z.array(range).optional(),
  versions: z.array(version).optional(),
  severity: z.array(severity).optional(),
});
export const osvRecordSchema = z.object({
  id: z.string().min(1),
  modified: date,
  published: date.optional(),
  withdrawn: date.optional(),
  aliases: z.array(z.string()).nullish(),
  upstream: z.array(z.string()).nullish(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(severity).nullish(),
  affected: z.array(affected).nullish(),
  references: z.array(z.object({ type: z.string().optional(), url: z.string() })).nullish(),
  database_specific: z.record(z.string(), z.unknown()).nullish(),
});
export type OsvRecord = z.infer<typeof osvRecordSchema>;
type OsvAffected = z.infer<typeof affected>;

/** Maps a validated OSV record to patchcast's Vulnerability. */
export function toVulnerability(r: OsvRecord): Vulnerability {
  const vuln: Vulnerability = {
    id: r.id,
    source: 'osv',
    aliases: [...new Set([...(r.aliases ?? []), ...(r.upstream ?? [])])].filter((a) => a !== r.id),
    modified: toIsoDate(r.modified)!,
    affected: (r.affected ?? []).flatMap(toAffected),
  };
  if (r.summary) vuln.summary = r.summary;
  if (r.details) vuln.details = r.details;
  if (r.published) vuln.published = toIsoDate(r.published)!;
  if (r.withdrawn) vuln.withdrawn = toIsoDate(r.withdrawn)!;
  const references = mergeReferences(
    (r.references ?? []).map((ref) => ({ url: ref.url, tags: ref.type ? [ref.type] : [] })),
  );
  if (references.length > 0) vuln.references = references;
  const cwes = getCwes(r.database_specific ?? {});
  if (cwes.length > 0) vuln.cwes = cwes;
  Object.assign(vuln, getScores(r));
  return vuln;
}

function toAffected(a: OsvAffected): AffectedPackage[] {
  const ranges = (a.ranges ?? []) as OsvRange[];
  // OSV allows an entry with only a GIT range and no package; it is kept under the repository's URL.
  const pkg = a.package ?? (ranges[0]?.repo ? { ecosystem: 'GIT', name: ranges[0].repo } : undefined);
  if (!pkg) return [];
  const out: AffectedPackage = { ecosystem: pkg.ecosystem, name: pkg.name };
  if ('purl' in pkg && pkg.purl) out.purl = pkg.purl;
  if (ranges.length > 0) out.ranges = ranges;
  if (a.versions && a.versions.length > 0) out.versions = a.versions;
  const fixed = ranges.flatMap((rg) => rg.events.flatMap((e) => ('fixed' in e ? [e.fixed] : [])));
  if (fixed.length > 0) out.fixedVersions = [...new Set(fixed)];
  return [out];
}

/** CWE ids from `database_specific.cwe_ids` (GHSA) or `cwe` numbers (HSEC, as in the shared mirror). */
function getCwes(db: Record<string, unknown>): string[] {
  const raw = [db.cwe_ids, db.cwe].flatMap((v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]));
  const ids = raw
    .map((c) => (typeof c === 'number' ? `CWE-${c}` : String(c)))
    .filter((c) => /^CWE-\d+$/.test(c));
  return [...new Set(ids)];
}

type Scores = Pick<Vulnerability, 'cvss' | 'cvssScore' | 'cvssVector' | 'severity'>;

/**
 * CVSS vectors from `severity[]` (record-level, else per affected package); v3 base scores are computed
 * from the vector, v4 vectors kept as-is. Without a v3 vector, a numeric score in `database_specific`
 * (`cvss_v3`, `cvss_score`, `cvss_v2`) is used; the qualitative severity comes from `database_specific`
 * or the score.
 */
function getScores(r: OsvRecord): Scores {
  const listed = r.severity?.length ? r.severity : (r.affected ?? []).flatMap((a) => a.severity ?? []);
  const cvss: SourcedCvss[] = [];
  for (const s of listed) {
    const version = /^CVSS:(\d\.\d)\//.exec(s.score)?.[1];
    if (!version || !s.type.startsWith('CVSS_')) continue;
    const score = getCvss3BaseScore(s.score);
    cvss.push(score === undefined ? { version, vector: s.score } : { version, vector: s.score, score });
  }
  const out: Scores = {};
  if (cvss.length > 0) out.cvss = cvss;
  const primary = cvss.find((m) => m.score !== undefined);
  const db = r.database_specific ?? {};
  const score = primary?.score ?? firstNumber(db.cvss_v3, db.cvss_score, db.cvss_v2);
  const shown = primary ?? cvss[0];
  if (shown) out.cvssVector = shown.vector;
  if (score !== undefined) out.cvssScore = score;
  const severity = getQualitative(db.severity) ?? getQualitative(db.priority);
  if (severity) out.severity = severity;
  else if (score !== undefined) out.severity = getCvssSeverity(score);
  return out;
}

function firstNumber(...values: unknown[]): number | undefined {
  return values.find((v): v is number => typeof v === 'number' && v >= 0 && v <= 10);
}

function getQualitative(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const upper = value.toUpperCase();
  return ['LOW', 'MEDIUM', 'MODERATE', 'HIGH', 'CRITICAL'].includes(upper)
    ? upper.replace('MODERATE', 'MEDIUM')
    : undefined;
}
