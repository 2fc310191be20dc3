import {
  CVSS_COMPONENTS,
  type CvssFact,
  getTokens,
  type History,
  REFERENCE_TAGS,
  SIGNAL_SOURCES,
} from '../history/index.js';
import { type AsOfContext, makeAsOfContext } from './as-of-context.js';
import { getPhraseMasks, hasPhrase, PHRASES } from './phrases.js';
import { type Encoders, getVocabularySlots } from './vocabulary.js';

/** CWEs with their own indicator (common in KEV or in web exploitation); fixed, not learned. */
export const CWE_INDICATORS = [
  'CWE-78',
  'CWE-77',
  'CWE-94',
  'CWE-502',
  'CWE-22',
  'CWE-287',
  'CWE-288',
  'CWE-306',
  'CWE-89',
  'CWE-416',
  'CWE-787',
  'CWE-20',
  'CWE-119',
  'CWE-434',
  'CWE-918',
  'CWE-843',
  'CWE-862',
  'CWE-269',
  'CWE-79',
  'CWE-798',
];

const STATIC_NAMES = [
  'age_days',
  'cvss_score',
  'cvss_version',
  'cvss_missing',
  ...CVSS_COMPONENTS.map((c) => `cvss_${c}`),
  ...CWE_INDICATORS.map((c) => `cwe_${c.slice(4)}`),
  'cwe_kev_count',
  'cwe_kev_rate',
  'vendor_known',
  'vendor_kev_count',
  'vendor_kev_365d',
  'vendor_days_since_kev',
  'vendor_cve_count',
  'vendor_kev_rate',
  'product_kev_count',
  ...PHRASES.map(([name]) => `text_${name}`),
  'text_tokens',
  'ref_count',
  ...REFERENCE_TAGS.map((t) => `ref_${t.toLowerCase().replaceAll(' ', '_')}`),
  ...SIGNAL_SOURCES.flatMap((s) => [`sig_${s}_count`, `sig_${s}_days_since_first`]),
  'sig_any_count',
  'sig_sources',
  'sig_days_since_last',
  'ssvc_automatable',
  'ssvc_total_impact',
];

/** Feature names for the given encoders, in vector order. `epss` adds the two EPSS columns. */
export function getFeatureNames(encoders: Encoders, epss: boolean): string[] {
  return [
    ...STATIC_NAMES,
    ...encoders.vocabulary.map((w) => `word_${w}`),
    ...(epss ? ['epss', 'epss_percentile'] : []),
  ];
}

/** A compiled feature extractor for one history and one set of encoders. */
export interface FeatureExtractor {
  names: string[];
  /** Writes the features of `cve` as of the context's day into out[offset…]. */
  write(context: AsOfContext, cve: number, out: Float64Array, offset: number): void;
}

/** Compiles the extractor (vocabulary slots and phrase masks are computed once here). */
export function makeFeatureExtractor(history: History, encoders: Encoders, epss: boolean): FeatureExtractor {
  const names = getFeatureNames(encoders, epss);
  const slots = getVocabularySlots(history, encoders.vocabulary);
  const masks = getPhraseMasks(history);
  const cweIds = CWE_INDICATORS.map((c) => history.strings.indexOf(c));
  const without = new Set(encoders.without ?? []);
  const text = !without.has('text');
  const undatedCvss = !without.has('undated-cvss');
  return {
    names,
    write(context, cve, out, offset) {
      let p = offset;
      const set = (value: number) => {
        out[p++] = value;
      };
      const day = context.day;
      // Age from the observed publication only; NaN (routed by the trees) when the day is unknown.
      set(day - (history.published[cve] ?? Number.NaN));
      writeCvss(pickCvss(history, cve, day, undatedCvss), set);
      writeCwe(history, context, cve, cweIds, set);
      writeVendor(history, context, cve, set);
      for (let k = 0; k < PHRASES.length; k++) set(text ? (hasPhrase(masks, cve, k) ? 1 : 0) : Number.NaN);
      const tokens = text ? getTokens(history, cve) : new Uint32Array(0);
      set(text ? tokens.length : Number.NaN);
      if (without.has('references')) for (let k = 0; k <= REFERENCE_TAGS.length; k++) set(Number.NaN);
      else writeReferences(history, cve, set);
      writeSignals(history, cve, day, set);
      writeSsvc(history, cve, day, set);
      const words = new Float64Array(encoders.vocabulary.length).fill(text ? 0 : Number.NaN);
      for (const token of tokens) {
        const slot = slots[token] ?? -1;
        if (slot >= 0) words[slot] = 1;
      }
      for (const w of words) set(w);
      if (epss) {
        set(context.epss?.score[cve] ?? Number.NaN);
        set(context.epss?.percentile[cve] ?? Number.NaN);
      }
    },
  };
}

/** The preferred CVSS assessment usable as of `day`, or null; `undated` false skips undated (NVD/CNA) ones. */
export function pickCvss(history: History, cve: number, day: number, undated = true): CvssFact | null {
  for (const fact of history.facts[cve]?.cvss ?? []) {
    if (Number.isNaN(fact.from) ? undated : fact.from <= day) return fact;
  }
  return null;
}

function writeCvss(fact: CvssFact | null, set: (v: number) => void): void {
  set(fact ? fact.score : Number.NaN);
  set(fact ? fact.version : Number.NaN);
  set(fact ? 0 : 1);
  for (let k = 0; k < CVSS_COMPONENTS.length; k++)
    set(fact ? (fact.components[k] ?? Number.NaN) : Number.NaN);
}

function writeCwe(
  history: History,
  context: AsOfContext,
  cve: number,
  cweIds: number[],
  set: (v: number) => void,
): void {
  const cwes = history.facts[cve]?.cwes ?? [];
  for (const id of cweIds) set(cwes.includes(id) ? 1 : 0);
  let kev = Number.NaN;
  let rate = Number.NaN;
  for (const cwe of cwes) {
    const count = (context.cweKev.get(cwe) ?? 0) - (context.kevAddedDay[cve]! <= context.day ? 1 : 0);
    const total = context.cweCves.get(cwe) ?? 0;
    if (!(count <= kev)) kev = Math.max(0, count);
    if (total > 0 && !(count / total <= rate)) rate = Math.max(0, count) / total;
  }
  set(kev);
  set(rate);
}

/** The vendor of `cve` with the most KEV entries as of T (self excluded), with its counts. */
export function getTopVendor(history: History, context: AsOfContext, cve: number) {
  let best: { vendor: number; count: number; lastYear: number; lastDay: number } | null = null;
  const self = (context.kevAddedDay[cve] ?? Number.NaN) <= context.day;
  for (const vendor of history.facts[cve]?.vendors ?? []) {
    const kev = context.vendorKev.get(vendor);
    const count = (kev?.count ?? 0) - (self && kev ? 1 : 0);
    if (!best || count > best.count) {
      best = {
        vendor,
        count: Math.max(0, count),
        lastYear: kev?.lastYear ?? 0,
        lastDay: kev?.lastDay ?? Number.NaN,
      };
    }
  }
  return best;
}

function writeVendor(history: History, context: AsOfContext, cve: number, set: (v: number) => void): void {
  const top = getTopVendor(history, context, cve);
  const cves = top ? (context.vendorCves.get(top.vendor) ?? 0) : 0;
  set(top ? 1 : 0);
  set(top ? top.count : Number.NaN);
  set(top ? top.lastYear : Number.NaN);
  set(top && Number.isFinite(top.lastDay) ? context.day - top.lastDay : Number.NaN);
  set(top ? cves : Number.NaN);
  set(top && cves > 0 ? top.count / cves : Number.NaN);
  let product = 0;
  for (const key of history.facts[cve]?.products ?? [])
    product = Math.max(product, context.productKev.get(key) ?? 0);
  set(product);
}

function writeReferences(history: History, cve: number, set: (v: number) => void): void {
  const facts = history.facts[cve];
  set(facts?.referenceCount ?? 0);
  for (let k = 0; k < REFERENCE_TAGS.length; k++) set(facts?.referenceTags[k] ?? 0);
}

function writeSignals(history: History, cve: number, day: number, set: (v: number) => void): void {
  const perSource = history.signals.get(cve);
  let any = 0;
  let sources = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < SIGNAL_SOURCES.length; s++) {
    const days = perSource?.[s];
    const count = days ? countAtMost(days, day) : 0;
    set(count);
    set(count > 0 && days ? day - (days[0] ?? day) : Number.NaN);
    if (count > 0 && days) {
      any += count;
      sources++;
      last = Math.max(last, days[count - 1] ?? last);
    }
  }
  set(any);
  set(sources);
  set(any > 0 ? day - last : Number.NaN);
}

function writeSsvc(history: History, cve: number, day: number, set: (v: number) => void): void {
  const ssvc = history.facts[cve]?.ssvc;
  const usable = ssvc && ssvc.day <= day;
  set(usable ? ssvc.automatable : Number.NaN);
  set(usable ? ssvc.technicalImpact : Number.NaN);
}

/** How many of the sorted days are ≤ day (binary search). */
export function countAtMost(days: Float64Array, day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((days[mid] ?? 0) <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Features of one CVE as of `day` (convenience; batch callers reuse a context and extractor). */
export function featuresAsOf(history: History, cve: string, day: number, encoders: Encoders, epss = false) {
  const index = history.indexOf.get(cve);
  if (index === undefined) return null;
  const extractor = makeFeatureExtractor(history, encoders, epss);
  const values = new Float64Array(extractor.names.length);
  extractor.write(makeAsOfContext(history, day), index, values, 0);
  return { names: extractor.names, values };
}

/** Features of many CVEs as of the context's day: a row-major rows × features matrix. */
export function featuresAsOfBatch(
  extractor: FeatureExtractor,
  context: AsOfContext,
  cves: ArrayLike<number>,
): Float64Array {
  const width = extractor.names.length;
  const out = new Float64Array(cves.length * width);
  for (let r = 0; r < cves.length; r++) extractor.write(context, cves[r] ?? 0, out, r * width);
  return out;
}
