/**
 * The dated history the exploit model learns from: every fact carries the day it became known, so
 * features can be computed "as of" any day T using only facts dated on or before T. A History is
 * built by a loader (today: a directory in the ../shared/data layout; later: the store) through
 * `HistoryBuilder`, and is read-only afterwards.
 *
 * Days are whole UTC days since 1970-01-01 (see `toDay`). NaN means "unknown".
 */

/** Exploit-signal sources, in a fixed order (feature names and explanations follow it). */
export const SIGNAL_SOURCES = [
  'github-poc',
  'exploitdb',
  'metasploit',
  'nuclei',
  '0day-today',
  'trickest-poc-reference',
  'trickest-github-poc',
] as const;

export type SignalSource = (typeof SIGNAL_SOURCES)[number];

/** CVSS components on one scale for v2, v3 and v4; NaN when absent from the vector. */
export const CVSS_COMPONENTS = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;

/** One CVSS assessment with the day it became usable (NaN: known from publication on). */
export interface CvssFact {
  version: 2 | 3 | 4;
  score: number;
  /** Values in CVSS_COMPONENTS order (see cvss.ts for the numeric scale). */
  components: Float32Array;
  /** The first day this assessment may be used; NaN = from publication. */
  from: number;
}

/** CISA ADP SSVC decision points, usable only from `day` on (never `exploitation`: it is the label). */
export interface SsvcFact {
  /** 1 = yes, 0 = no, NaN = absent. */
  automatable: number;
  /** 1 = total, 0 = partial, NaN = absent. */
  technicalImpact: number;
  day: number;
}

/** Undated facts about one CVE, taken as known from its publication. */
export interface CveFacts {
  /** Assessments in order of preference; the first usable one as of T wins. */
  cvss: CvssFact[];
  /** Interned CWE ids (indices into History.strings). */
  cwes: number[];
  /** Interned normalised vendor keys. */
  vendors: number[];
  /** Interned normalised "vendor:product" keys (vendor may be empty). */
  products: number[];
  referenceCount: number;
  /** Reference tag counts, in REFERENCE_TAGS order. */
  referenceTags: number[];
  ssvc: SsvcFact | null;
}

/** One KEV listing: the CVE is "in KEV" on days d with addedDay ≤ d < removedDay. */
export interface KevListing {
  cve: number;
  addedDay: number;
  /** NaN when never removed. */
  removedDay: number;
  /** Interned normalised vendor key of the KEV record. */
  vendor: number;
  /** Interned normalised "vendor:product" key. */
  product: number;
  cwes: number[];
}

/** A full EPSS file: scores for one day. */
export interface EpssSnapshot {
  day: number;
  modelVersion: string;
  /** By CVE index; NaN when the CVE is not in the file. */
  score: Float32Array;
  percentile: Float32Array;
}

/** The compact in-memory history. Arrays are indexed by CVE index. */
export interface History {
  readonly ids: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** Publication day; NaN when unknown. */
  readonly published: Float64Array;
  /**
   * The first day the CVE is observed to be public: `published`, else the earliest dated fact that
   * shows it (an exploit sighting, a full EPSS file that scores it, a CISA ADP SSVC decision), else NaN
   * (never in a population). Never its KEV listing: a day derived from the label would let the label
   * decide who is scored. The population at T is every CVE with `entered` ≤ T, not in KEV at T.
   */
  readonly entered: Float64Array;
  readonly facts: readonly CveFacts[];
  /** Interned description tokens of CVE i, in text order: data[offsets[i]..offsets[i+1]). */
  readonly tokens: { readonly offsets: Uint32Array; readonly data: Uint32Array };
  /** Interned strings (CWE ids, vendor and product keys, tokens). */
  readonly strings: readonly string[];
  /** Exploit signals per CVE: sorted days per source (SIGNAL_SOURCES order); absent = none. */
  readonly signals: ReadonlyMap<number, readonly Float64Array[]>;
  readonly kev: readonly KevListing[];
  readonly epss: readonly EpssSnapshot[];
  /** Display names of vendor keys (e.g. "ivanti" → "Ivanti"), for explanations. */
  readonly vendorNames: ReadonlyMap<number, string>;
  /** The last day any fact in the history is dated. */
  readonly lastDay: number;
}

/** Reference tags counted as features; "US Government Resource" is left out on purpose (KEV links). */
export const REFERENCE_TAGS = [
  'Exploit',
  'Patch',
  'Vendor Advisory',
  'Third Party Advisory',
  'VDB Entry',
  'Mailing List',
  'Issue Tracking',
  'Release Notes',
  'Technical Description',
] as const;

const DAY_MS = 86_400_000;

/** Whole UTC days since 1970-01-01 for an ISO date or date-time; NaN for null or garbage. */
export function toDay(date: string | null | undefined): number {
  if (!date) return Number.NaN;
  const ms = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(ms) ? Number.NaN : Math.floor(ms / DAY_MS);
}

/** The ISO date (YYYY-MM-DD) of a day number. */
export function fromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The interned description tokens of one CVE (a view, no copy). */
export function getTokens(history: Pick<History, 'tokens'>, cve: number): Uint32Array {
  const { offsets, data } = history.tokens;
  return data.subarray(offsets[cve] ?? 0, offsets[cve + 1] ?? 0);
}
