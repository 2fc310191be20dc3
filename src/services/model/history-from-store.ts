/**
 * The exploit model's History read from the store (what `patchcast sync` fills) instead of a data
 * directory: the store's rows are paged through and fed to `makeHistoryBuilder` in the order
 * `loadHistory(dir)` feeds it (CVEs, exploit signals, KEV, full EPSS days). The mapping and its
 * leakage rules live in src/predict/history/store-records.ts.
 */
import { PatchcastError } from '../../core/errors.js';
import {
  type EpssInput,
  FULL_EPSS_MIN_ROWS,
  getKevPairKey,
  type History,
  type HistoryBuilder,
  isFullEpssDay,
  loadHistory,
  makeHistoryBuilder,
  SIGNAL_SOURCES,
  toCveInput,
  toDay,
  toKevInput,
  toKevRemoval,
  toSignalInput,
} from '../../predict/history/index.js';
import {
  type Db,
  type HistoryKevRow,
  loadHistoryCvePages,
  loadHistoryEpssDays,
  loadHistoryEpssPages,
  loadHistoryKevRows,
  loadHistorySightingPages,
} from '../../store/index.js';

/** Options for `loadHistoryFromStore`. */
export interface LoadHistoryFromStoreOptions {
  /** Keep only CVEs for which this returns true (as `loadHistory`'s `keep`). */
  keep?: (cve: string) => boolean;
  /** Rows per query (default 2,000). */
  pageSize?: number;
  /** An EPSS day with fewer rows is not a full daily file and is not read (default 100,000). */
  minEpssRows?: number;
  onStep?: (text: string) => void;
}

/** What a History from the store was built from. */
interface StoreHistoryCounts {
  cves: number;
  signals: number;
  kev: number;
  epssDays: string[];
  /** EPSS days left out as partial (fewer rows than `minEpssRows`). */
  partialEpssDays: string[];
}

/**
 * Builds the History from the store. Throws INPUT_NOT_FOUND when the store holds no CVE record
 * (nothing synced yet).
 */
export async function loadHistoryFromStore(
  db: Db,
  options: LoadHistoryFromStoreOptions = {},
): Promise<History> {
  const pageSize = options.pageSize ?? 2000;
  const builder = makeHistoryBuilder();
  const kevRows = await loadHistoryKevRows(db);
  const cves = await addCves(db, builder, kevRows, pageSize, options.keep ?? (() => true));
  if (cves === 0)
    throw new PatchcastError('INPUT_NOT_FOUND', 'the store holds no CVE records for the exploit model', {
      hint: 'Run `patchcast sync cve` (or nvd) first, or pass --data DIR / set model.data.',
    });
  let signals = 0;
  for await (const page of loadHistorySightingPages(db, SIGNAL_SOURCES, pageSize)) {
    for (const row of page) builder.addSignal(toSignalInput(row));
    signals += page.length;
  }
  for (const row of kevRows) {
    builder.addKev(toKevInput(row));
    const removal = toKevRemoval(row);
    if (removal) builder.addKevRemoval(removal);
  }
  const epss = await addEpss(db, builder, options.minEpssRows ?? FULL_EPSS_MIN_ROWS, pageSize);
  options.onStep?.(describeCounts({ cves, signals, kev: kevRows.length, ...epss }));
  return builder.build();
}

function describeCounts(c: StoreHistoryCounts): string {
  const partial = c.partialEpssDays.length
    ? `; ${c.partialEpssDays.length} partial EPSS days left out (${c.partialEpssDays.slice(-3).join(', ')})`
    : '';
  return `history from the store: ${c.cves} CVEs, ${c.signals} exploit sightings, ${c.kev} KEV entries, ${c.epssDays.length} full EPSS days${partial}`;
}

async function addCves(
  db: Db,
  builder: HistoryBuilder,
  kevRows: readonly HistoryKevRow[],
  pageSize: number,
  keep: (cve: string) => boolean,
): Promise<number> {
  const kevPairs = getKevPairs(kevRows);
  let count = 0;
  for await (const page of loadHistoryCvePages(db, pageSize)) {
    for (const row of page) {
      if (!keep(row.id)) continue;
      builder.addCve(toCveInput(row, kevPairs.get(row.id)));
      count++;
    }
  }
  return count;
}

/** Each KEV CVE's normalised vendor:product (its CVE record's pairs equal to it are dropped). */
export function getKevPairs(kevRows: readonly HistoryKevRow[]): Map<string, Set<string>> {
  const kevPairs = new Map<string, Set<string>>();
  for (const row of kevRows) kevPairs.set(row.cveId, new Set([getKevPairKey(row)]));
  return kevPairs;
}

async function addEpss(
  db: Db,
  builder: HistoryBuilder,
  minRows: number,
  pageSize: number,
): Promise<Pick<StoreHistoryCounts, 'epssDays' | 'partialEpssDays'>> {
  const days = await loadHistoryEpssDays(db);
  const full = days.filter((d) => isFullEpssDay(d.rows, minRows));
  const rows = new Map<string, EpssInput[]>(full.map((d) => [d.day, []]));
  for await (const page of loadHistoryEpssPages(
    db,
    full.map((d) => d.day),
    pageSize,
  )) {
    for (const r of page)
      rows.get(r.day)?.push({ cve: r.cveId, epss: r.score, percentile: r.percentile ?? Number.NaN });
  }
  for (const d of full) builder.addEpss(toDay(d.day), d.modelVersion ?? 'unknown', rows.get(d.day) ?? []);
  return {
    epssDays: full.map((d) => d.day),
    partialEpssDays: days.filter((d) => !isFullEpssDay(d.rows, minRows)).map((d) => d.day),
  };
}

/**
 * The exploit model's History for `model retrain|score` and the step after a sync: the data
 * directory when one is given (`--data`, `model.data`), read exactly as before, else the store.
 */
export async function loadExploitHistory(
  db: Db,
  options: LoadHistoryFromStoreOptions & { dir?: string | undefined },
): Promise<History> {
  const { dir, ...storeOptions } = options;
  if (!dir) return loadHistoryFromStore(db, storeOptions);
  options.onStep?.(`loading history from ${dir}`);
  return loadHistory(dir, options.keep ? { keep: options.keep } : {});
}
