import { z } from 'zod';
import { type FieldProvenance, getJsonlCweSource } from '../../core/provenance.js';
import type { SsvcDecision, Vulnerability } from '../../core/types.js';
import { ProductSet } from '../cpe-products.js';
import { type CvssSummary, type SourcedCvss, summarizeCvss } from '../cvss.js';
import { toIsoDate } from '../record-fields.js';
import { ssvcFields, toSsvcDecision } from './ssvc.js';

const date = z.string().refine((s) => toIsoDate(s) !== undefined, 'expected an ISO date');
const text = z.string().nullish();

/** One line of `cves.jsonl.gz` (see ../shared/data/README.md); only the fields kept. */
export const cveLineSchema = z.object({
  cve: z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'expected a CVE id'),
  published: date.nullish(),
  state: text,
  title: text,
  description: text,
  description_source: text,
  cvss: z
    .array(
      z.object({
        version: text,
        vector: text,
        score: z.number().min(0).max(10).nullish(),
        severity: text,
        source: text,
      }),
    )
    .nullish(),
  cwe: z.array(z.string()).nullish(),
  affected: z.array(z.object({ vendor: text, product: text, source: text })).nullish(),
  cpe: z.array(z.string()).nullish(),
  references: z.array(z.object({ url: z.string(), tags: z.array(z.string()).nullish() })).nullish(),
  cisa_adp_ssvc: z
    .object({
      exploitation: ssvcFields.exploitation,
      automatable: ssvcFields.automatable,
      technical_impact: ssvcFields.technicalImpact,
      timestamp: ssvcFields.timestamp,
    })
    .nullish(),
  sources: z.array(z.string()).nullish(),
});
export type CveLine = z.infer<typeof cveLineSchema>;

/**
 * Maps a line to a Vulnerability (source `cve`) and its SSVC decision. The line carries no modification
 * date: `modified` is the newest as-of date in `sources[]` (`nvd-1.1-feed@2023-12-29`), the date the
 * record's content was known by.
 */
export function fromCveLine(r: CveLine): { vuln: Vulnerability; ssvc?: SsvcDecision } {
  const vuln: Vulnerability = { id: r.cve, source: 'cve', aliases: [] };
  if (r.title) vuln.summary = r.title;
  if (r.description) vuln.details = r.description;
  const published = toIsoDate(r.published);
  if (published) vuln.published = published;
  const modified = getAsOf(r.sources ?? []) ?? published;
  if (modified) vuln.modified = modified;
  if (r.state === 'REJECTED') vuln.withdrawn = modified ?? published ?? '';
  if (r.cwe?.length) vuln.cwes = [...new Set(r.cwe)];
  if (r.references?.length)
    vuln.references = r.references.map((ref) =>
      ref.tags?.length ? { url: ref.url, tags: ref.tags } : { url: ref.url },
    );
  Object.assign(vuln, getLineScores(r.cvss ?? []));
  const products = new ProductSet();
  for (const a of r.affected ?? []) products.add(a.vendor, a.product, a.source ?? undefined);
  for (const cpe of r.cpe ?? []) products.addCpe(cpe, 'nvd-cpe');
  const affected = products.toAffected();
  if (affected.length > 0) vuln.affected = affected;
  const provenance = getLineProvenance(r, products);
  if (Object.keys(provenance).length > 0) vuln.provenance = provenance;
  const s = r.cisa_adp_ssvc;
  if (!s) return { vuln };
  return { vuln, ssvc: toSsvcDecision(r.cve, { ...s, technicalImpact: s.technical_impact }) };
}

/** Which source wrote the description, the CWE list and each vendor/product pair (see core/provenance.ts). */
function getLineProvenance(r: CveLine, products: ProductSet): FieldProvenance {
  const provenance: FieldProvenance = {};
  if (r.description && r.description_source) provenance.details = r.description_source;
  if (r.cwe?.length) provenance.cwes = getJsonlCweSource(r.sources);
  const pairs = products.getSources();
  if (Object.keys(pairs).length > 0) provenance.products = pairs;
  return provenance;
}

function getAsOf(sources: string[]): string | undefined {
  let newest: string | undefined;
  for (const s of sources) {
    const day = /@(\d{4}-\d{2}-\d{2})$/.exec(s)?.[1];
    if (day && (!newest || day > newest)) newest = day;
  }
  return toIsoDate(newest);
}

function getLineScores(items: NonNullable<CveLine['cvss']>): CvssSummary {
  const cvss: SourcedCvss[] = [];
  let scoreOnly: number | undefined;
  for (const c of items) {
    if (!c.vector || !c.version) {
      scoreOnly ??= c.score ?? undefined;
      continue;
    }
    const metric: SourcedCvss = { version: c.version, vector: c.vector };
    if (typeof c.score === 'number') metric.score = c.score;
    if (c.severity) metric.severity = c.severity.toUpperCase();
    if (c.source) metric.source = c.source;
    cvss.push(metric);
  }
  return summarizeCvss(cvss, scoreOnly);
}
