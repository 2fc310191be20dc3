import { z } from 'zod';

/**
 * The shapes a loader hands to the history builder. Only the fields the model uses are parsed; a
 * store loader produces the same shapes.
 */

const cvssItem = z.object({
  version: z.string().nullish(),
  vector: z.string().nullish(),
  score: z.number().nullish(),
  source: z.string().nullish(),
});

/** One CVE record (cves.jsonl line). */
export const cveInputSchema = z.object({
  cve: z.string().regex(/^CVE-\d{4}-\d+$/),
  published: z.string().nullish(),
  description: z.string().nullish(),
  /** Who wrote the description; a label source (core/provenance.ts: `cisa-kev`) drops it. */
  description_source: z.string().nullish(),
  /** Who wrote the CWE list, when a loader knows (the store); else derived from `sources`. */
  cwe_source: z.string().nullish(),
  /** cves.jsonl.gz `sources[]` (`name@date`): decides whether the CWE list is KEV's. */
  sources: z.array(z.string()).nullish(),
  cvss: z.array(cvssItem).nullish(),
  cwe: z.array(z.string()).nullish(),
  affected: z
    .array(
      z.object({ vendor: z.string().nullish(), product: z.string().nullish(), source: z.string().nullish() }),
    )
    .nullish(),
  references: z.array(z.object({ url: z.string(), tags: z.array(z.string()).nullish() })).nullish(),
  cisa_adp_ssvc: z
    .object({
      automatable: z.string().nullish(),
      technical_impact: z.string().nullish(),
      timestamp: z.string().nullish(),
    })
    .nullish(),
});
export type CveInput = z.infer<typeof cveInputSchema>;

/** One exploit signal (exploits.jsonl line). */
export const signalInputSchema = z.object({
  cve: z.string(),
  source: z.string(),
  date: z.string(),
});
export type SignalInput = z.infer<typeof signalInputSchema>;

/** One KEV catalog entry. */
export const kevInputSchema = z.object({
  cveID: z.string(),
  vendorProject: z.string(),
  product: z.string(),
  dateAdded: z.string(),
  cwes: z.array(z.string()).nullish(),
});
export type KevInput = z.infer<typeof kevInputSchema>;

/** One KEV removal (kev_removed.json). */
export const kevRemovalSchema = z.object({ cve: z.string(), removed_by: z.string() });
export type KevRemoval = z.infer<typeof kevRemovalSchema>;

/** One row of a full EPSS file. */
export interface EpssInput {
  cve: string;
  epss: number;
  percentile: number;
}
