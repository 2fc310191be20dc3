import { z } from 'zod';
import type { Vulnerability } from '../../core/types.js';
import { ProductSet } from '../cpe-products.js';
import { type SourcedCvss, summarizeCvss } from '../cvss.js';
import { mergeReferences, toIsoDate } from '../record-fields.js';

// NVD CVE API 2.0 (https://csrc.nist.gov/schema/nvd/api/2.0/cve_api_json_2.0.schema); only the fields kept.
const date = z.string().refine((s) => toIsoDate(s) !== undefined, 'expected an ISO date');
const cvssMetric = z.object({
  source: z.string().optional(),
  type: z.string().optional(),
  cvssData: z.object({
    version: z.string(),
    vectorString: z.string(),
    baseScore: z.number().min(0).max(10),
    baseSeverity: z.string().optional(),
  }),
  baseSeverity: z.string().optional(),
});
const cpeNode = z.object({
  cpeMatch: z.array(z.object({ vulnerable: z.boolean(), criteria: z.string() })).optional(),
});
export const nvdCveSchema = z.object({
  id: z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'expected a CVE id'),
  sourceIdentifier: z.string().optional(),
  published: date,
  lastModified: date,
  vulnStatus: z.string().optional(),
  descriptions: z.array(z.object({ lang: z.string(), value: z.string() })),
  metrics: z
    .object({
      cvssMetricV40: z.array(cvssMetric).optional(),
      cvssMetricV31: z.array(cvssMetric).optional(),
      cvssMetricV30: z.array(cvssMetric).optional(),
      cvssMetricV2: z.array(cvssMetric).optional(),
    })
    .optional(),
  weaknesses: z.array(z.object({ description: z.array(z.object({ value: z.string() })) })).optional(),
  configurations: z.array(z.object({ nodes: z.array(cpeNode) })).optional(),
  references: z.array(z.object({ url: z.string(), tags: z.array(z.string()).optional() })).optional(),
});
export type NvdCve = z.infer<typeof nvdCveSchema>;

const NVD = 'nvd@nist.gov';
// CISA ADP's organisation id, as NVD names the source of the scores it adds.
const CISA_ADP = '134c704f-9b21-4f2e-91b3-4a467353bcc0';

/** Maps one `vulnerabilities[].cve` of an NVD API 2.0 page to a Vulnerability (source `nvd`). */
export function fromNvdCve(c: NvdCve): Vulnerability {
  const vuln: Vulnerability = {
    id: c.id,
    source: 'nvd',
    aliases: [],
    published: toIsoDate(c.published)!,
    modified: toIsoDate(c.lastModified)!,
  };
  const description = c.descriptions.find((d) => d.lang.startsWith('en')) ?? c.descriptions[0];
  if (description) vuln.details = description.value;
  if (c.vulnStatus === 'Rejected') vuln.withdrawn = vuln.modified!;
  const cwes = (c.weaknesses ?? []).flatMap((w) => w.description.map((d) => d.value));
  if (cwes.length > 0) vuln.cwes = [...new Set(cwes)];
  const references = mergeReferences(c.references ?? []);
  if (references.length > 0) vuln.references = references;
  Object.assign(vuln, summarizeCvss(getMetrics(c)));
  const products = new ProductSet();
  for (const node of (c.configurations ?? []).flatMap((cfg) => cfg.nodes)) {
    for (const match of node.cpeMatch ?? []) if (match.vulnerable) products.addCpe(match.criteria);
  }
  const affected = products.toAffected();
  if (affected.length > 0) vuln.affected = affected;
  return vuln;
}

function getMetrics(c: NvdCve): SourcedCvss[] {
  const m = c.metrics ?? {};
  const lists = [m.cvssMetricV40, m.cvssMetricV31, m.cvssMetricV30, m.cvssMetricV2];
  return lists.flatMap((list) =>
    (list ?? []).map((metric) => {
      const out: SourcedCvss = {
        version: metric.cvssData.version,
        vector: metric.cvssData.vectorString,
        score: metric.cvssData.baseScore,
        source: scorerOf(metric.source, c.sourceIdentifier),
      };
      // v2 keeps its severity beside cvssData; v3/v4 inside it.
      const severity = metric.cvssData.baseSeverity ?? metric.baseSeverity;
      if (severity) out.severity = severity.toUpperCase();
      return out;
    }),
  );
}

/** `nvd`, `cna` (the record's own source), `cisa-adp`, or the scorer's id as NVD gives it. */
function scorerOf(source: string | undefined, cna: string | undefined): string | undefined {
  if (source === NVD) return 'nvd';
  if (source === CISA_ADP) return 'cisa-adp';
  if (source && source === cna) return 'cna';
  return source;
}
