import type { EpssSnapshot, History } from '../history/index.js';

/** An EPSS file older than this many days is not "as of T". */
export const EPSS_MAX_AGE_DAYS = 45;

/**
 * Everything about the world as of day T that features of many CVEs share: which CVEs are in KEV,
 * per-vendor / per-product / per-CWE KEV history, the EPSS file to use. Built from facts dated ≤ T only.
 */
export interface AsOfContext {
  day: number;
  /** 1 when the CVE is listed in KEV on day T. */
  inKev: Uint8Array;
  /** Day the CVE was added to KEV if on or before T, else NaN (for self-exclusion). */
  kevAddedDay: Float64Array;
  vendorKev: Map<number, VendorKev>;
  productKev: Map<number, number>;
  /** CVEs per vendor published on or before T. */
  vendorCves: Map<number, number>;
  cweKev: Map<number, number>;
  cweCves: Map<number, number>;
  epss: EpssSnapshot | null;
}

/** KEV history of one vendor as of T. */
export interface VendorKev {
  count: number;
  /** KEV additions in the 365 days up to T. */
  lastYear: number;
  lastDay: number;
}

/** Builds the context for day T. */
export function makeAsOfContext(history: History, day: number): AsOfContext {
  const n = history.ids.length;
  const inKev = new Uint8Array(n);
  const kevAddedDay = new Float64Array(n).fill(Number.NaN);
  const vendorKev = new Map<number, VendorKev>();
  const productKev = new Map<number, number>();
  const cweKev = new Map<number, number>();
  for (const listing of history.kev) {
    if (!(listing.addedDay <= day)) continue;
    kevAddedDay[listing.cve] = listing.addedDay;
    if (!(listing.removedDay <= day)) inKev[listing.cve] = 1;
    const vendor = vendorKev.get(listing.vendor) ?? {
      count: 0,
      lastYear: 0,
      lastDay: Number.NEGATIVE_INFINITY,
    };
    vendor.count++;
    if (listing.addedDay > day - 365) vendor.lastYear++;
    vendor.lastDay = Math.max(vendor.lastDay, listing.addedDay);
    vendorKev.set(listing.vendor, vendor);
    increment(productKev, listing.product);
    for (const cwe of new Set([...listing.cwes, ...(history.facts[listing.cve]?.cwes ?? [])]))
      increment(cweKev, cwe);
  }
  const { vendorCves, cweCves } = countPublished(history, day);
  return {
    day,
    inKev,
    kevAddedDay,
    vendorKev,
    productKev,
    vendorCves,
    cweKev,
    cweCves,
    epss: pickEpss(history, day),
  };
}

function countPublished(history: History, day: number) {
  const vendorCves = new Map<number, number>();
  const cweCves = new Map<number, number>();
  for (const [cve, facts] of history.facts.entries()) {
    if (!((history.entered[cve] ?? Number.NaN) <= day)) continue;
    for (const vendor of facts.vendors) increment(vendorCves, vendor);
    for (const cwe of facts.cwes) increment(cweCves, cwe);
  }
  return { vendorCves, cweCves };
}

/** The latest full EPSS file dated on or before T and at most EPSS_MAX_AGE_DAYS old. */
export function pickEpss(history: History, day: number): EpssSnapshot | null {
  let best: EpssSnapshot | null = null;
  for (const snapshot of history.epss) {
    if (snapshot.day <= day && day - snapshot.day <= EPSS_MAX_AGE_DAYS) best = snapshot;
  }
  return best;
}

/** CVEs in the population at T: published on or before T and not in KEV on day T. */
export function getPopulation(history: History, context: AsOfContext): Int32Array {
  const out: number[] = [];
  for (let cve = 0; cve < history.ids.length; cve++) {
    if ((history.entered[cve] ?? Number.NaN) <= context.day && context.inKev[cve] === 0) out.push(cve);
  }
  return Int32Array.from(out);
}

/** 1 when the CVE is added to KEV in (T, T + horizon], else 0. */
export function getLabels(history: History, day: number, horizon: number): Uint8Array {
  const labels = new Uint8Array(history.ids.length);
  for (const listing of history.kev) {
    if (listing.addedDay > day && listing.addedDay <= day + horizon) labels[listing.cve] = 1;
  }
  return labels;
}

function increment(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
