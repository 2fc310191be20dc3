/**
 * A History restricted to what one CVE's features need, read from the store in a few indexed
 * queries instead of the ~325k records of a full History: the CVE's own record and sightings, the
 * whole KEV table, EPSS of the full days for that CVE, and light records (publication, CWEs, CPE
 * pairs) of every CVE its aggregates count: the CVEs sharing a vendor key (vendor CVE counts), a CWE
 * (CWE CVE counts) or listed in KEV (vendor, product and CWE KEV counts). The records go through the
 * same mapping as `loadHistoryFromStore`, so the CVE's features as of any day equal the full
 * History's (history-for-cve.spec.ts). CVEs without CPE vendors whose description names one of the
 * CVE's vendor keys are read whole: the History gives them that vendor from their text.
 */

import {
  type EpssInput,
  FULL_EPSS_MIN_ROWS,
  getTokens,
  type History,
  isFullEpssDay,
  makeHistoryBuilder,
  normalizeName,
  SIGNAL_SOURCES,
  toCveInput,
  toDay,
  toKevInput,
  toKevRemoval,
  toSignalInput,
} from '../../predict/history/index.js';
import {
  type Db,
  type HistoryCveRow,
  type HistoryKevRow,
  loadCpeNames,
  loadCvesWithCpeNames,
  loadCvesWithCwes,
  loadEpssOf,
  loadHistoryCveRows,
  loadHistoryEpssDays,
  loadHistoryKevRows,
  loadSightingsOf,
  loadVendorlessCvesMentioning,
} from '../../store/index.js';
import { getKevPairs } from '../model/history-from-store.js';

/** The restricted History, or undefined when the store holds no record of `cve`. */
export async function loadHistoryForCve(
  db: Db,
  cve: string,
  options: { minEpssRows?: number } = {},
): Promise<History | undefined> {
  const kevRows = await loadHistoryKevRows(db);
  const kevPairs = getKevPairs(kevRows);
  const [own] = await loadHistoryCveRows(db, [cve]);
  if (!own) return undefined;
  const counted = await loadCountedCves(db, own, kevRows, kevPairs);
  const light = await loadHistoryCveRows(db, counted.light, { light: true });
  // A counted CVE without a publication day enters the population on its first sighting, full EPSS
  // day or SSVC decision (History.entered), so those are loaded for it too: whole record, signals, EPSS.
  const undated = light.filter((r) => !r.published).map((r) => r.id);
  const rows = [
    own,
    ...(await loadHistoryCveRows(db, [...counted.full, ...undated])),
    ...light.filter((r) => r.published),
  ];
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const builder = makeHistoryBuilder();
  for (const row of rows) builder.addCve(toCveInput(row, kevPairs.get(row.id)));
  const evidence = [cve, ...counted.full, ...undated];
  for (const row of await loadSightingsOf(db, evidence, SIGNAL_SOURCES))
    builder.addSignal(toSignalInput(row));
  for (const row of kevRows) {
    builder.addKev(toKevInput(row));
    const removal = toKevRemoval(row);
    if (removal) builder.addKevRemoval(removal);
  }
  await addEpssOf(db, builder, evidence, options.minEpssRows ?? FULL_EPSS_MIN_ROWS);
  return builder.build();
}

/** CVEs read whole (their descriptions can name a vendor) and CVEs read light (counted only). */
interface CountedCves {
  full: string[];
  light: string[];
}

/** Text vendors come from a dictionary of vendor keys with at least 20 CVEs (build-history.ts). */
const TEXT_VENDOR_MIN_CVES = 20;
const TEXT_VENDOR_MIN_LENGTH = 4;
const TEXT_VENDOR_TOKENS = 30;

/** The ids (other than the CVE's own) its vendor, CWE and KEV aggregates count. */
async function loadCountedCves(
  db: Db,
  own: HistoryCveRow,
  kevRows: readonly HistoryKevRow[],
  kevPairs: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<CountedCves> {
  // The CVE alone, built as the full History builds it, names its vendor keys, CWEs and tokens.
  const solo = makeHistoryBuilder();
  solo.addCve(toCveInput(own, kevPairs.get(own.id)));
  const built = solo.build();
  const facts = built.facts[0];
  const names = groupByVendor(await loadCpeNames(db));
  const vendorCves = new Map<string, string[]>();
  const loadVendor = async (key: string) => {
    const known = vendorCves.get(key);
    if (known) return known;
    const ids = await loadCvesWithCpeNames(db, names.get(key) ?? []);
    vendorCves.set(key, ids);
    return ids;
  };
  let vendors = (facts?.vendors ?? []).map((v) => built.strings[v] ?? '');
  if (vendors.length === 0) vendors = await getTextVendors(built, loadVendor);
  const full = new Set(kevRows.map((r) => r.cveId));
  const light = new Set<string>();
  for (const key of vendors) {
    const ids = await loadVendor(key);
    for (const id of ids) light.add(id);
    if (isDictionaryVendor(key, ids.length))
      for (const id of await loadVendorlessCvesMentioning(db, key)) full.add(id);
  }
  const cwes = (facts?.cwes ?? []).map((c) => built.strings[c] ?? '');
  for (const id of await loadCvesWithCwes(db, cwes)) light.add(id);
  full.delete(own.id);
  for (const id of [...full, own.id]) light.delete(id);
  return { full: [...full], light: [...light] };
}

/** The vendor keys a vendorless CVE gets from the first words of its description. */
async function getTextVendors(
  solo: History,
  loadVendor: (key: string) => Promise<string[]>,
): Promise<string[]> {
  const out: string[] = [];
  for (const token of getTokens(solo, 0).subarray(0, TEXT_VENDOR_TOKENS)) {
    const word = solo.strings[token] ?? '';
    if (word.length < TEXT_VENDOR_MIN_LENGTH || out.includes(word)) continue;
    if (isDictionaryVendor(word, (await loadVendor(word)).length)) out.push(word);
  }
  return out;
}

function isDictionaryVendor(key: string, cves: number): boolean {
  return key.length >= TEXT_VENDOR_MIN_LENGTH && cves >= TEXT_VENDOR_MIN_CVES;
}

/** CPE names by normalised vendor key. */
function groupByVendor(names: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of names) {
    const key = getVendorKey(name);
    if (!key) continue;
    const list = out.get(key) ?? [];
    list.push(name);
    out.set(key, list);
  }
  return out;
}

/** The normalised vendor of a stored `vendor:product` CPE name ('' for `*`). */
function getVendorKey(name: string): string {
  const colon = name.indexOf(':');
  const vendor = colon < 0 ? '' : name.slice(0, colon);
  return vendor === '*' ? '' : normalizeName(vendor);
}

async function addEpssOf(
  db: Db,
  builder: ReturnType<typeof makeHistoryBuilder>,
  cves: readonly string[],
  minRows: number,
): Promise<void> {
  const full = (await loadHistoryEpssDays(db)).filter((d) => isFullEpssDay(d.rows, minRows));
  const rows = await loadEpssOf(
    db,
    cves,
    full.map((d) => d.day),
  );
  for (const d of full) {
    const day: EpssInput[] = rows
      .filter((r) => r.day === d.day)
      .map((r) => ({ cve: r.cveId, epss: r.score, percentile: r.percentile ?? Number.NaN }));
    builder.addEpss(toDay(d.day), d.modelVersion ?? 'unknown', day);
  }
}
