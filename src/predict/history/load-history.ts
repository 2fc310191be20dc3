import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { PatchcastError } from '../../core/errors.js';
import { type HistoryBuilder, makeHistoryBuilder } from './build-history.js';
import {
  cveInputSchema,
  type EpssInput,
  kevInputSchema,
  kevRemovalSchema,
  signalInputSchema,
} from './inputs.js';
import { type History, toDay } from './types.js';

/** Options for `loadHistory`. */
export interface LoadHistoryOptions {
  /** Keep only CVEs for which this returns true (e.g. a seeded sample for tests). */
  keep?: (cve: string) => boolean;
}

/**
 * Loads a directory in the ../shared/data layout (cves.jsonl.gz, exploits.jsonl.gz, kev.json,
 * kev_removed.json, epss_scores-YYYY-MM-DD.csv.gz) into a History. Streams the gzipped files line
 * by line. The partial `epss_kev_subset` file is ignored on purpose: it holds KEV CVEs only, so
 * using it would leak the label.
 */
export async function loadHistory(dir: string, options: LoadHistoryOptions = {}): Promise<History> {
  const keep = options.keep ?? (() => true);
  const builder = makeHistoryBuilder();
  await readJsonLines(join(dir, 'cves.jsonl.gz'), (value, line) => {
    const record = parseLine(cveInputSchema, value, 'cves.jsonl.gz', line);
    if (keep(record.cve)) builder.addCve(record);
  });
  await readJsonLines(join(dir, 'exploits.jsonl.gz'), (value, line) => {
    builder.addSignal(parseLine(signalInputSchema, value, 'exploits.jsonl.gz', line));
  });
  loadKev(dir, builder);
  for (const file of readdirSync(dir).filter((f) => /^epss_scores-\d{4}-\d{2}-\d{2}\.csv\.gz$/.test(f))) {
    await loadEpssFile(join(dir, file), builder);
  }
  return builder.build();
}

function loadKev(dir: string, builder: HistoryBuilder): void {
  const catalog = readJson(join(dir, 'kev.json')) as { vulnerabilities?: unknown[] };
  const listed = new Set<string>();
  for (const [i, value] of (catalog.vulnerabilities ?? []).entries()) {
    const entry = parseLine(kevInputSchema, value, 'kev.json vulnerabilities', i + 1);
    listed.add(entry.cveID);
    builder.addKev(entry);
  }
  const removedPath = join(dir, 'kev_removed.json');
  if (!existsSync(removedPath)) return;
  for (const [i, value] of (readJson(removedPath) as unknown[]).entries()) {
    const removal = parseLine(kevRemovalSchema, value, 'kev_removed.json', i + 1);
    builder.addKevRemoval(removal);
    const dateAdded = (value as { dateAdded?: string }).dateAdded;
    // Removed entries are absent from later catalogs; they were still listed until removal.
    if (!listed.has(removal.cve) && dateAdded) {
      builder.addKev({ cveID: removal.cve, vendorProject: '', product: '', dateAdded, cwes: [] });
    }
  }
}

async function loadEpssFile(path: string, builder: HistoryBuilder): Promise<void> {
  let day = Number.NaN;
  let modelVersion = 'unknown';
  const rows: EpssInput[] = [];
  await readLines(path, (line) => {
    if (line.startsWith('#')) {
      modelVersion = /model_version:([^,]+)/.exec(line)?.[1] ?? modelVersion;
      day = toDay(/score_date:(\d{4}-\d{2}-\d{2})/.exec(line)?.[1]);
      return;
    }
    const [cve, epss, percentile] = line.split(',');
    if (!cve?.startsWith('CVE-')) return;
    rows.push({ cve, epss: Number(epss), percentile: Number(percentile) });
  });
  if (Number.isNaN(day)) day = toDay(/(\d{4}-\d{2}-\d{2})/.exec(path)?.[1]);
  builder.addEpss(day, modelVersion, rows);
}

async function readLines(path: string, onLine: (line: string, lineNumber: number) => void): Promise<void> {
  if (!existsSync(path)) {
    throw new PatchcastError('INPUT_NOT_FOUND', `${path} does not exist`, {
      hint: 'Point --data at a directory in the ../shared/data layout.',
    });
  }
  const input = createReadStream(path).pipe(createGunzip());
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber++;
    if (line.length > 0) onLine(line, lineNumber);
  }
}

async function readJsonLines(path: string, onValue: (value: unknown, line: number) => void): Promise<void> {
  await readLines(path, (line, lineNumber) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new PatchcastError('INPUT_INVALID', `${path}:${lineNumber}: not JSON`, { cause });
    }
    onValue(value, lineNumber);
  });
}

function readJson(path: string): unknown {
  if (!existsSync(path)) throw new PatchcastError('INPUT_NOT_FOUND', `${path} does not exist`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

function parseLine<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  },
  value: unknown,
  file: string,
  line: number,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new PatchcastError('INPUT_INVALID', `${file}:${line}: ${issue?.path.join('.')}: ${issue?.message}`);
}
