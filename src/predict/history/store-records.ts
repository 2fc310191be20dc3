import { type FieldProvenance, isLabelSource } from '../../core/provenance.js';
import type { CveInput, KevInput, KevRemoval, SignalInput } from './inputs.js';
import { normalizeName } from './text.js';

/**
 * Pure mapping from the store's rows (src/store/repositories/history-rows.ts) to the loader inputs
 * `makeHistoryBuilder` takes, so a History from the store is built exactly like one from a data
 * directory. What the store does not keep is left out (the features are NaN then); see
 * ../readme.md "History from the store".
 */

/** A CVE as the store keeps it (the fields used). */
export interface StoredCve {
  id: string;
  published: string | null;
  summary: string | null;
  details: string | null;
  cvss: string | null;
  cwes: string | null;
  refs: string | null;
  /** JSON text `{provenance}` (core/provenance.ts) where the cve feed recorded where fields came from. */
  record?: string | null;
  /** `vendor:product` names of the CVE's `CPE` affected entries (`*` = no vendor), and whether a CPE name gave versions. */
  products: ReadonlyArray<{ name: string; versioned: boolean }>;
  /** SSVC decisions; there is no `exploitation` field on purpose. */
  ssvc: ReadonlyArray<{ decidedAt: string; automatable: string | null; technicalImpact: string | null }>;
}

/** A KEV entry as the store keeps it. */
export interface StoredKev {
  cveId: string;
  vendor: string | null;
  product: string | null;
  dateAdded: string;
  removedAt: string | null;
}

/** The KEV entry's vendor:product, normalised as the builder normalises names. */
export function getKevPairKey(kev: Pick<StoredKev, 'vendor' | 'product'>): string {
  return `${normalizeName(kev.vendor)}:${normalizeName(kev.product)}`;
}

/**
 * A stored CVE as a loader record. `kevPairs` holds the normalised vendor:product of the CVE's own
 * KEV entry: the cve feed stores the `cisa-kev` affected entries of cves.jsonl.gz beside the CPE and
 * CNA ones without saying which is which, and a pair that only KEV names would leak the label, so a
 * pair equal to the KEV entry's is dropped unless a CPE name gave it versions (KEV pairs never have
 * any). A CPE/CNA pair spelled like KEV's and without CPE versions is lost with it. A stored pair with a vendor counts as CPE/CNA (vendor and
 * product), one without (`*:product`, trickest) as a product only. The CVSS list keeps each metric's
 * scorer (`source`); the builder uses NVD, CNA, CISA ADP and nuclei-template ones only, so the
 * score-only `nvd-via-jgamblin-KEV_EPSS` value (stored in `cvss_score`, not read) never enters. The
 * earliest SSVC decision stands for the CVE, dated by its timestamp (a History holds one per CVE; the
 * earliest, so a decision made after T cannot displace one known at T); its `exploitation` is not in
 * the row at all.
 */
export function toCveInput(row: StoredCve, kevPairs?: ReadonlySet<string>): CveInput {
  const provenance = parseProvenance(row.record ?? null);
  const record: CveInput = {
    cve: row.id,
    published: row.published,
    description: row.details ?? row.summary,
    description_source: row.details ? (provenance?.details ?? null) : null,
    cwe_source: provenance?.cwes ?? null,
    cvss: parseList<NonNullable<CveInput['cvss']>[number]>(row.cvss),
    cwe: parseList<string>(row.cwes).filter((c) => typeof c === 'string'),
    references: parseList<{ url: string; tags?: string[] | null }>(row.refs).filter(
      (r) => typeof r?.url === 'string',
    ),
    affected: provenance?.products
      ? toSourcedAffected(row.products, provenance.products)
      : toAffected(row.products, kevPairs),
  };
  const ssvc = row.ssvc[0];
  if (ssvc)
    record.cisa_adp_ssvc = {
      automatable: ssvc.automatable,
      technical_impact: ssvc.technicalImpact,
      timestamp: ssvc.decidedAt,
    };
  return record;
}

/**
 * Pairs with their recorded sources: a pair that only label sources (KEV) name is dropped, and the
 * rest keep the source the directory loader would see, so both loaders build the same vendors and
 * products. A pair with no recorded source counts as CNA/CPE (`*:product` as trickest).
 */
function toSourcedAffected(products: StoredCve['products'], sources: Record<string, string[]>) {
  const out: NonNullable<CveInput['affected']> = [];
  for (const { name } of products) {
    const named = sources[name] ?? [];
    if (named.length > 0 && named.every((s) => isLabelSource(s))) continue;
    const pair = splitPair(name);
    if (!pair) continue;
    const { vendor, product } = pair;
    const source = PAIR_SOURCE_ORDER.find((s) => named.includes(s)) ?? named[0];
    if (vendor === '*') out.push({ vendor: null, product, source: source ?? 'trickest' });
    else out.push({ vendor, product, source: source ?? 'cna' });
  }
  return out;
}

/** The pair origins the builder reads, in the order one is picked when several name a pair. */
const PAIR_SOURCE_ORDER = ['nvd-cpe', 'cna', 'trickest'];

/** `vendor:product` as stored under ecosystem `CPE` (vendor `*` when unknown), split at the first colon. */
function splitPair(name: string): { vendor: string; product: string } | undefined {
  const colon = name.indexOf(':');
  return colon < 0 ? undefined : { vendor: name.slice(0, colon), product: name.slice(colon + 1) };
}

function parseProvenance(text: string | null): FieldProvenance | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as { provenance?: FieldProvenance };
    return value && typeof value === 'object' ? value.provenance : undefined;
  } catch {
    return undefined;
  }
}

function toAffected(products: StoredCve['products'], kevPairs: ReadonlySet<string> | undefined) {
  const out: NonNullable<CveInput['affected']> = [];
  for (const { name, versioned } of products) {
    const pair = splitPair(name);
    if (!pair) continue;
    const { vendor, product } = pair;
    if (vendor === '*') {
      out.push({ vendor: null, product, source: 'trickest' });
      continue;
    }
    if (!versioned && kevPairs?.has(`${normalizeName(vendor)}:${normalizeName(product)}`)) continue;
    out.push({ vendor, product, source: 'cna' });
  }
  return out;
}

/** A stored KEV entry as a catalogue entry (the store keeps no KEV CWEs: the CVE's own count). */
export function toKevInput(row: StoredKev): KevInput {
  return {
    cveID: row.cveId,
    vendorProject: row.vendor ?? '',
    product: row.product ?? '',
    dateAdded: row.dateAdded,
  };
}

/** The removal of a stored KEV entry, when it was removed. */
export function toKevRemoval(row: StoredKev): KevRemoval | undefined {
  return row.removedAt ? { cve: row.cveId, removed_by: row.removedAt } : undefined;
}

/** A stored exploit sighting as a signal, dated by when it was seen. */
export function toSignalInput(row: { cveId: string; source: string; seenAt: string }): SignalInput {
  return { cve: row.cveId, source: row.source, date: row.seenAt };
}

/**
 * Whether a stored EPSS day is a full daily file. The store does not record how a day was imported,
 * so the row count decides: a full file has a score for every published CVE (~160k in 2021, ~320k
 * in 2026), the KEV-only subset ~1k; `minRows` defaults to 100,000 (the KEV catalogue is ~1.5k).
 */
export function isFullEpssDay(rows: number, minRows = FULL_EPSS_MIN_ROWS): boolean {
  return rows >= minRows;
}

export const FULL_EPSS_MIN_ROWS = 100_000;

function parseList<T>(text: string | null): T[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}
