/**
 * Where a field of a vulnerability record came from, and which of those origins are written *because of*
 * the label the exploit model predicts (a CISA KEV listing). A value written by CISA when it listed the
 * CVE carries the label even when it carries no date: the exploit model must never read it.
 *
 * ../shared/data/cves.jsonl.gz names the origin of the description (`description_source`) and of each
 * vendor/product pair (`affected[].source`); the CWE list has no source of its own, so it is KEV's when
 * KEV is the only contributor (`sources[]`) able to name CWEs.
 */

/** Field origins whose values exist because the CVE was listed in CISA KEV. */
export const LABEL_SOURCES: ReadonlySet<string> = new Set(['cisa-kev']);

/** Whether a field whose origin is `source` may be read by the exploit model. */
export function isLabelSource(source: string | null | undefined): boolean {
  return source !== null && source !== undefined && LABEL_SOURCES.has(source);
}

/** The origin of each field of a stored vulnerability, where a feed knows it. */
export interface FieldProvenance {
  /** Origin of `details` (e.g. `nvd`, `cve5-cna`, `trickest(cvelist)`, `cisa-kev`). */
  details?: string;
  /** Origin of `cwes` (e.g. `record`, `cna`, `cisa-kev`). */
  cwes?: string;
  /** Vendor/product pair (`vendor:product`, as stored under ecosystem `CPE`) → every origin that names it. */
  products?: Record<string, string[]>;
}

/** `sources[]` entries of cves.jsonl.gz that can contribute a CWE list (the name before `@`). */
const CWE_CAPABLE = ['nvd-1.1-feed', 'vulnrichment', 'trickest', 'nuclei-templates', 'cisa-kev'];

/**
 * The origin of a cves.jsonl.gz line's CWE list: `cisa-kev` when KEV is the only contributor able to
 * name CWEs (the 39 KEV-only records of the 2026-03-01 data), else `record` (a mix of NVD, CNA,
 * trickest and nuclei that the line does not separate).
 */
export function getJsonlCweSource(sources: readonly string[] | null | undefined): string {
  const capable = new Set<string>();
  for (const source of sources ?? []) {
    const name = source.split('@')[0] ?? '';
    if (CWE_CAPABLE.includes(name)) capable.add(name);
  }
  return capable.size === 1 && capable.has('cisa-kev') ? 'cisa-kev' : 'record';
}
