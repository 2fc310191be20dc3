import { getJsonlCweSource, isLabelSource } from '../../core/provenance.js';
import { getCvssFamily, parseCvssVector } from './cvss.js';
import type { CveInput, EpssInput, KevInput, KevRemoval, SignalInput } from './inputs.js';
import { makeInterner, normalizeName, tokenize } from './text.js';
import {
  type CveFacts,
  type CvssFact,
  type EpssSnapshot,
  getTokens,
  type History,
  type KevListing,
  REFERENCE_TAGS,
  SIGNAL_SOURCES,
  type SignalSource,
  toDay,
} from './types.js';

/**
 * Leakage rules applied while building (see ../readme.md):
 * - CVSS from `nvd-via-jgamblin-KEV_EPSS` and vendors from `cisa-kev` exist only for KEV CVEs: dropped.
 * - CISA ADP CVSS is usable from its SSVC timestamp (else the Vulnrichment snapshot day) on;
 *   nuclei-template CVSS from the first nuclei signal on.
 * - References to cisa.gov and the "US Government Resource" tag (KEV links) are dropped.
 * - SSVC `exploitation` is never read.
 * - Fields written by a label source (core/provenance.ts: CISA's KEV descriptions and CWEs, KEV
 *   vendor/product pairs) are dropped whatever their date: they exist because the CVE was listed.
 */
const VULNRICHMENT_SNAPSHOT_DAY = toDay('2025-01-24');
const SOURCE_RANK: Record<string, number> = { nvd: 0, cna: 1, 'cisa-adp': 2, 'nuclei-template': 3 };
const FAMILY_RANK = { 3: 0, 4: 1, 2: 2 } as const;
const VENDOR_SOURCES = new Set(['nvd-cpe', 'cna']);
const PRODUCT_SOURCES = new Set(['nvd-cpe', 'cna', 'trickest']);
const NUCLEI = SIGNAL_SOURCES.indexOf('nuclei');

/** Accumulates loader input, then builds the read-only History. */
export interface HistoryBuilder {
  addCve(record: CveInput): void;
  addSignal(signal: SignalInput): void;
  addKev(entry: KevInput): void;
  addKevRemoval(removal: KevRemoval): void;
  addEpss(day: number, modelVersion: string, rows: Iterable<EpssInput>): void;
  build(): History;
}

/** Makes an empty builder. */
export function makeHistoryBuilder(): HistoryBuilder {
  const strings = makeInterner();
  const ids: string[] = [];
  const indexOf = new Map<string, number>();
  const published: number[] = [];
  const facts: CveFacts[] = [];
  const tokenData: number[] = [];
  const tokenOffsets: number[] = [0];
  const nucleiCvss: Array<[number, CvssFact]> = [];
  const signalLists = new Map<number, number[][]>();
  const kevInputs: KevInput[] = [];
  const removals: KevRemoval[] = [];
  const epss: EpssSnapshot[] = [];
  const pendingEpss: Array<{ day: number; modelVersion: string; rows: EpssInput[] }> = [];
  const vendorNames = new Map<number, string>();
  let lastDay = Number.NEGATIVE_INFINITY;

  const seeDay = (day: number) => {
    if (day > lastDay) lastDay = day;
  };

  return {
    addCve(record) {
      if (indexOf.has(record.cve)) return;
      const index = ids.length;
      ids.push(record.cve);
      indexOf.set(record.cve, index);
      const day = toDay(record.published);
      published.push(day);
      if (!Number.isNaN(day)) seeDay(day);
      const built = makeFacts(record, strings, vendorNames);
      // A description written by CISA when it listed the CVE carries the label: never tokenised.
      const description = isLabelSource(record.description_source) ? '' : (record.description ?? '');
      for (const token of tokenize(description)) tokenData.push(strings.intern(token));
      tokenOffsets.push(tokenData.length);
      facts.push(built.facts);
      if (built.nuclei) nucleiCvss.push([index, built.nuclei]);
    },
    addSignal(signal) {
      const index = indexOf.get(signal.cve);
      const source = SIGNAL_SOURCES.indexOf(signal.source as SignalSource);
      const day = toDay(signal.date);
      if (index === undefined || source < 0 || Number.isNaN(day)) return;
      seeDay(day);
      let lists = signalLists.get(index);
      if (!lists) {
        lists = SIGNAL_SOURCES.map(() => []);
        signalLists.set(index, lists);
      }
      lists[source]?.push(day);
    },
    addKev(entry) {
      kevInputs.push(entry);
      seeDay(toDay(entry.dateAdded));
    },
    addKevRemoval(removal) {
      removals.push(removal);
    },
    addEpss(day, modelVersion, rows) {
      seeDay(day);
      pendingEpss.push({ day, modelVersion, rows: [...rows] });
    },
    build() {
      const signals = freezeSignals(signalLists);
      for (const [index, fact] of nucleiCvss) {
        const days = signals.get(index)?.[NUCLEI];
        fact.from = days && days.length > 0 ? (days[0] ?? lastDay) : lastDay;
        facts[index]?.cvss.push(fact);
      }
      const tokens = { offsets: Uint32Array.from(tokenOffsets), data: Uint32Array.from(tokenData) };
      addVendorsFromText(facts, tokens, strings.strings);
      for (const pending of pendingEpss) epss.push(makeEpssSnapshot(pending, indexOf, ids.length));
      epss.sort((a, b) => a.day - b.day);
      const kev = makeKevListings(kevInputs, removals, indexOf, strings, vendorNames);
      return {
        ids,
        indexOf,
        published: Float64Array.from(published),
        entered: getEnteredDays(published, facts, signals, epss),
        facts,
        tokens,
        strings: strings.strings,
        signals,
        kev,
        epss,
        vendorNames,
        lastDay,
      };
    },
  };
}

function makeFacts(
  record: CveInput,
  strings: ReturnType<typeof makeInterner>,
  vendorNames: Map<number, string>,
): { facts: CveFacts; nuclei: CvssFact | null } {
  const ssvcDay = toDay(record.cisa_adp_ssvc?.timestamp);
  const { cvss, nuclei } = makeCvssFacts(record, Number.isNaN(ssvcDay) ? VULNRICHMENT_SNAPSHOT_DAY : ssvcDay);
  const vendors = new Set<number>();
  const products = new Set<number>();
  for (const item of record.affected ?? []) {
    const vendor = VENDOR_SOURCES.has(item.source ?? '') ? normalizeName(item.vendor) : '';
    if (vendor) {
      const id = strings.intern(vendor);
      vendors.add(id);
      if (!vendorNames.has(id) && item.vendor) vendorNames.set(id, item.vendor);
    }
    const product = normalizeName(item.product);
    if (product && PRODUCT_SOURCES.has(item.source ?? ''))
      products.add(strings.intern(`${vendor}:${product}`));
  }
  const facts: CveFacts = {
    cvss,
    cwes: getCwes(record).map((c) => strings.intern(c)),
    vendors: [...vendors],
    products: [...products],
    ...countReferences(record),
    ssvc: makeSsvc(record, ssvcDay),
  };
  return { facts, nuclei };
}

function makeCvssFacts(record: CveInput, adpDay: number): { cvss: CvssFact[]; nuclei: CvssFact | null } {
  const ranked: Array<[number, CvssFact]> = [];
  let nuclei: CvssFact | null = null;
  for (const item of record.cvss ?? []) {
    const family = getCvssFamily(item.version ?? '');
    const rank = SOURCE_RANK[item.source ?? ''];
    if (!family || rank === undefined || !item.vector || typeof item.score !== 'number') continue;
    const fact: CvssFact = {
      version: family,
      score: item.score,
      components: parseCvssVector(item.vector, family),
      from: Number.NaN,
    };
    if (item.source === 'nuclei-template') nuclei ??= fact;
    else {
      if (item.source === 'cisa-adp') fact.from = adpDay;
      ranked.push([rank * 10 + FAMILY_RANK[family], fact]);
    }
  }
  ranked.sort((a, b) => a[0] - b[0]);
  return { cvss: ranked.map(([, fact]) => fact), nuclei };
}

function countReferences(record: CveInput): { referenceCount: number; referenceTags: number[] } {
  const referenceTags = REFERENCE_TAGS.map(() => 0);
  let referenceCount = 0;
  for (const reference of record.references ?? []) {
    if (reference.url.includes('cisa.gov')) continue;
    referenceCount++;
    for (const tag of reference.tags ?? []) {
      const index = REFERENCE_TAGS.indexOf(tag as (typeof REFERENCE_TAGS)[number]);
      if (index >= 0) referenceTags[index] = (referenceTags[index] ?? 0) + 1;
    }
  }
  return { referenceCount, referenceTags };
}

function makeSsvc(record: CveInput, day: number): CveFacts['ssvc'] {
  const ssvc = record.cisa_adp_ssvc;
  if (!ssvc || Number.isNaN(day)) return null;
  const automatable = ssvc.automatable?.toLowerCase();
  const impact = ssvc.technical_impact?.toLowerCase();
  return {
    automatable: automatable === 'yes' ? 1 : automatable === 'no' ? 0 : Number.NaN,
    technicalImpact: impact === 'total' ? 1 : impact === 'partial' ? 0 : Number.NaN,
    day,
  };
}

function freezeSignals(lists: Map<number, number[][]>): Map<number, Float64Array[]> {
  const out = new Map<number, Float64Array[]>();
  for (const [index, perSource] of lists) {
    out.set(
      index,
      perSource.map((days) => Float64Array.from(days).sort()),
    );
  }
  return out;
}

/**
 * CVEs with no vendor (the years without NVD data) get the vendors named in the first words of
 * their description, from a dictionary of CPE/CNA vendors with at least 20 CVEs. Undated, like
 * the description itself; no KEV data is involved.
 */
function addVendorsFromText(facts: CveFacts[], tokens: History['tokens'], strings: readonly string[]): void {
  const counts = new Map<number, number>();
  for (const fact of facts)
    for (const vendor of fact.vendors) counts.set(vendor, (counts.get(vendor) ?? 0) + 1);
  const byName = new Map<string, number>();
  for (const [vendor, count] of counts) {
    const name = strings[vendor] ?? '';
    if (count >= 20 && name.length >= 4) byName.set(name, vendor);
  }
  for (const [i, fact] of facts.entries()) {
    if (fact.vendors.length > 0) continue;
    for (const token of getTokens({ tokens }, i).subarray(0, 30)) {
      const vendor = byName.get(strings[token] ?? '');
      if (vendor !== undefined && !fact.vendors.includes(vendor)) fact.vendors.push(vendor);
    }
  }
}

function makeEpssSnapshot(
  pending: { day: number; modelVersion: string; rows: EpssInput[] },
  indexOf: ReadonlyMap<string, number>,
  size: number,
): EpssSnapshot {
  const score = new Float32Array(size).fill(Number.NaN);
  const percentile = new Float32Array(size).fill(Number.NaN);
  for (const row of pending.rows) {
    const index = indexOf.get(row.cve);
    if (index === undefined) continue;
    score[index] = row.epss;
    percentile[index] = row.percentile;
  }
  return { day: pending.day, modelVersion: pending.modelVersion, score, percentile };
}

function makeKevListings(
  inputs: KevInput[],
  removals: KevRemoval[],
  indexOf: ReadonlyMap<string, number>,
  strings: ReturnType<typeof makeInterner>,
  vendorNames: Map<number, string>,
): KevListing[] {
  const removedBy = new Map(removals.map((r) => [r.cve, toDay(r.removed_by)]));
  const out: KevListing[] = [];
  for (const entry of inputs) {
    const cve = indexOf.get(entry.cveID);
    if (cve === undefined) continue;
    const vendorKey = normalizeName(entry.vendorProject);
    const vendor = strings.intern(vendorKey);
    vendorNames.set(vendor, entry.vendorProject);
    out.push({
      cve,
      addedDay: toDay(entry.dateAdded),
      removedDay: removedBy.get(entry.cveID) ?? Number.NaN,
      vendor,
      product: strings.intern(`${vendorKey}:${normalizeName(entry.product)}`),
      cwes: (entry.cwes ?? []).map((c) => strings.intern(c)),
    });
  }
  return out.sort((a, b) => a.addedDay - b.addedDay);
}

/**
 * The first day each CVE is observed to be public (History.entered): its publication day, else the
 * earliest exploit sighting, full EPSS file that scores it, or SSVC decision. No estimate from the ID's
 * year (it put 20k CVEs into the population on one day and 46 KEV CVEs after their own listing) and
 * never the KEV listing itself.
 */
function getEnteredDays(
  published: number[],
  facts: readonly CveFacts[],
  signals: ReadonlyMap<number, readonly Float64Array[]>,
  epss: readonly EpssSnapshot[],
): Float64Array {
  const entered = Float64Array.from(published);
  const earliest = (cve: number, day: number) => {
    if (Number.isNaN(day)) return;
    const known = entered[cve] ?? Number.NaN;
    if (Number.isNaN(known) || day < known) entered[cve] = day;
  };
  const unknown = (cve: number) => Number.isNaN(published[cve] ?? Number.NaN);
  for (const [cve, perSource] of signals) {
    if (!unknown(cve)) continue;
    for (const days of perSource) earliest(cve, days[0] ?? Number.NaN);
  }
  for (const [cve, fact] of facts.entries()) if (fact.ssvc && unknown(cve)) earliest(cve, fact.ssvc.day);
  for (const snapshot of epss) {
    for (let cve = 0; cve < snapshot.score.length; cve++)
      if (unknown(cve) && !Number.isNaN(snapshot.score[cve] ?? Number.NaN)) earliest(cve, snapshot.day);
  }
  return entered;
}

/** The CWE ids of a record, unless KEV wrote them (a label source; core/provenance.ts). */
function getCwes(record: CveInput): string[] {
  const source = record.cwe_source ?? (record.sources ? getJsonlCweSource(record.sources) : null);
  if (isLabelSource(source)) return [];
  return (record.cwe ?? []).filter((c) => c.startsWith('CWE-'));
}
