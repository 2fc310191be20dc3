import { z } from 'zod';
import type { SsvcDecision, Vulnerability } from '../../core/types.js';
import { ProductSet } from '../cpe-products.js';
import { type SourcedCvss, summarizeCvss } from '../cvss.js';
import { mergeReferences, toIsoDate } from '../record-fields.js';
import { ssvcSchema, toSsvcDecision } from './ssvc.js';

// CVE JSON 5 (CVE Record Format 5.x, https://github.com/CVEProject/cve-schema); only the fields kept.
const date = z.string().refine((s) => toIsoDate(s) !== undefined, 'expected an ISO date');
const cvssBody = z.object({
  vectorString: z.string(),
  baseScore: z.number().min(0).max(10).optional(),
  baseSeverity: z.string().optional(),
});
const metric = z.object({
  cvssV4_0: cvssBody.optional(),
  cvssV3_1: cvssBody.optional(),
  cvssV3_0: cvssBody.optional(),
  cvssV2_0: cvssBody.optional(),
  other: z.object({ type: z.string(), content: z.unknown() }).optional(),
});
const container = z.object({
  providerMetadata: z.object({ shortName: z.string().optional() }).optional(),
  title: z.string().optional(),
  descriptions: z.array(z.object({ lang: z.string(), value: z.string() })).optional(),
  affected: z
    .array(
      z.object({
        vendor: z.string().optional(),
        product: z.string().optional(),
        cpes: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  metrics: z.array(metric).optional(),
  problemTypes: z
    .array(z.object({ descriptions: z.array(z.object({ cweId: z.string().optional() })) }))
    .optional(),
  references: z.array(z.object({ url: z.string(), tags: z.array(z.string()).optional() })).optional(),
});
export const cve5Schema = z.object({
  dataType: z.literal('CVE_RECORD'),
  cveMetadata: z.object({
    cveId: z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'expected a CVE id'),
    state: z.enum(['PUBLISHED', 'REJECTED']),
    datePublished: date.optional(),
    dateUpdated: date.optional(),
    dateRejected: date.optional(),
  }),
  containers: z.object({ cna: container, adp: z.array(container).optional() }),
});
export type Cve5Record = z.infer<typeof cve5Schema>;
type Container = z.infer<typeof container>;

const VERSIONS = [
  ['cvssV4_0', '4.0'],
  ['cvssV3_1', '3.1'],
  ['cvssV3_0', '3.0'],
  ['cvssV2_0', '2.0'],
] as const;

/** Maps a CVE 5 record (CNA and ADP containers) to a Vulnerability (source `cve`) and CISA's SSVC decisions. */
export function fromCve5(r: Cve5Record): { vuln: Vulnerability; ssvc: SsvcDecision[] } {
  const meta = r.cveMetadata;
  const containers = [r.containers.cna, ...(r.containers.adp ?? [])];
  const vuln: Vulnerability = { id: meta.cveId, source: 'cve', aliases: [] };
  const cna = r.containers.cna;
  if (cna.title) vuln.summary = cna.title;
  const description = (cna.descriptions ?? []).find((d) => d.lang.startsWith('en')) ?? cna.descriptions?.[0];
  if (description) vuln.details = description.value;
  if (meta.datePublished) vuln.published = toIsoDate(meta.datePublished)!;
  const modified = toIsoDate(meta.dateUpdated ?? meta.datePublished);
  if (modified) vuln.modified = modified;
  if (meta.state === 'REJECTED') vuln.withdrawn = toIsoDate(meta.dateRejected) ?? modified ?? '';
  const cwes = containers.flatMap((c) =>
    (c.problemTypes ?? []).flatMap((p) => p.descriptions.flatMap((d) => (d.cweId ? [d.cweId] : []))),
  );
  if (cwes.length > 0) vuln.cwes = [...new Set(cwes)];
  // `x_transferred` only says the CVE Program copied the reference; it is no property of the link.
  const references = mergeReferences(
    containers.flatMap((c) => c.references ?? []),
    ['x_transferred'],
  );
  if (references.length > 0) vuln.references = references;
  Object.assign(vuln, summarizeCvss(containers.flatMap(getMetrics)));
  const products = new ProductSet();
  for (const a of containers.flatMap((c) => c.affected ?? [])) {
    products.add(a.vendor, a.product);
    for (const cpe of a.cpes ?? []) products.addCpe(cpe);
  }
  const affected = products.toAffected();
  if (affected.length > 0) vuln.affected = affected;
  return { vuln, ssvc: containers.flatMap((c) => getSsvc(meta.cveId, c)) };
}

/** Who scored: `cna`, `cisa-adp`, or an ADP's short name. */
function scorerOf(c: Container, isCna: boolean): string {
  if (isCna) return 'cna';
  return (c.providerMetadata?.shortName ?? 'adp').toLowerCase();
}

function getMetrics(c: Container, index: number): SourcedCvss[] {
  const out: SourcedCvss[] = [];
  for (const m of c.metrics ?? []) {
    for (const [key, version] of VERSIONS) {
      const body = m[key];
      if (!body) continue;
      const metric: SourcedCvss = { version, vector: body.vectorString, source: scorerOf(c, index === 0) };
      if (body.baseScore !== undefined) metric.score = body.baseScore;
      if (body.baseSeverity) metric.severity = body.baseSeverity.toUpperCase();
      out.push(metric);
    }
  }
  return out;
}

/** CISA ADP's SSVC metric: `other.type = ssvc`, options `[{Exploitation}, {Automatable}, {Technical Impact}]`. */
function getSsvc(cveId: string, c: Container): SsvcDecision[] {
  const out: SsvcDecision[] = [];
  for (const m of c.metrics ?? []) {
    if (m.other?.type !== 'ssvc') continue;
    const content = m.other.content as { timestamp?: unknown; options?: Array<Record<string, unknown>> };
    const options = Object.assign({}, ...(content.options ?? [])) as Record<string, unknown>;
    const parsed = ssvcSchema.safeParse({
      exploitation: options.Exploitation,
      automatable: options.Automatable,
      technicalImpact: options['Technical Impact'],
      timestamp: content.timestamp,
    });
    if (parsed.success) out.push(toSsvcDecision(cveId, parsed.data));
  }
  return out;
}
