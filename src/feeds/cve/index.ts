import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { FeedError, parseFeedJson } from '../errors.js';
import { isGzipFile, readLines, readLocation } from '../resource.js';
import type { FeedBatch, FeedRead, FeedSource, SyncContext } from '../types.js';
import {
  getNewestOutcome,
  makeVulnerabilityBatcher,
  type VulnerabilityBatch,
  type VulnerabilityBatcher,
} from '../vulnerability-batches.js';
import { walkFiles } from '../walk-files.js';
import { isZipFile, readZipEntries } from '../zip-entries.js';
import { cve5Schema, fromCve5 } from './cve5-record.js';
import { cveLineSchema, fromCveLine } from './jsonl-record.js';

const BATCH = 1000;
/** The largest single CVE record or line read (the largest real records are a few hundred KiB). */
export const CVE_MAX_RECORD_BYTES = 16 * 1024 * 1024;
const CVE_FILE = /^CVE-\d{4}-\d{4,}\.json$/;

type Batches = AsyncGenerator<FeedBatch, void, undefined>;

/**
 * CVE records: CVE JSON 5 (a cvelistV5 checkout `cves/2024/1xxx/CVE-2024-1234.json`, its bulk zip, or
 * one record) and the shared-data line format `cves.jsonl.gz`. Keeps descriptions, CVSS v2–v4, CWE,
 * vendor/product (as `CPE` affected entries), references with tags and CISA ADP SSVC decisions.
 */
export const cveSource: FeedSource = {
  id: 'cve',
  description:
    'CVE records (CVE JSON 5 / cvelistV5, or cves.jsonl.gz): CVSS, CWE, products, references, SSVC',
  defaultUrl: 'https://github.com/CVEProject/cvelistV5/archive/refs/heads/main.zip',
  mirrorNames: ['cves.jsonl.gz', 'cvelistV5', 'cves'],
  read: (ctx) => readLocation(ctx, 'cve', (path, isDirectory) => readOpened(ctx, { path, isDirectory })),
};

async function* readOpened(ctx: SyncContext, opened: { path: string; isDirectory: boolean }): FeedRead {
  const batcher = makeVulnerabilityBatcher(BATCH);
  if (opened.isDirectory) yield* readDirectory(ctx, batcher, opened.path);
  else yield* readRecordFile(ctx, batcher, opened.path);
  yield batcher.drain();
  return getNewestOutcome(batcher);
}

async function* readDirectory(ctx: SyncContext, batcher: VulnerabilityBatcher, dir: string): Batches {
  let files = 0;
  const accept = (name: string) => CVE_FILE.test(name) || name.endsWith('.zip') || isLineFile(name);
  for await (const { path } of walkFiles('cve', dir, accept, ctx.maxBytes)) {
    yield* readRecordFile(ctx, batcher, path);
    files++;
  }
  if (files === 0)
    throw new FeedError(
      'cve',
      dir,
      undefined,
      'the directory holds no CVE-*.json records, zip archives or .jsonl files',
    );
}

const isLineFile = (name: string) => /\.jsonl(\.gz)?$/.test(name);

async function* readRecordFile(ctx: SyncContext, batcher: VulnerabilityBatcher, file: string): Batches {
  if (await isZipFile(file)) return yield* readZip(ctx, batcher, file);
  if (isLineFile(file) || (await isGzipFile(file))) return yield* readLineFile(ctx, batcher, file);
  const text = await readFile(file, 'utf8');
  ctx.progress.advance(Buffer.byteLength(text));
  const full = addRecord(batcher, file, basename(file), parseFeedJson('cve', file, basename(file), text));
  if (full) yield full;
}

async function* readZip(ctx: SyncContext, batcher: VulnerabilityBatcher, file: string): Batches {
  const maxEntryBytes = Math.min(CVE_MAX_RECORD_BYTES, ctx.maxBytes);
  // cvelistV5's release archive nests `cves.zip` inside the download; it is extracted and read in turn.
  const options = {
    accept: (name: string) => CVE_FILE.test(basename(name)),
    maxEntryBytes,
    maxNestedBytes: ctx.maxBytes,
  };
  for await (const entry of readZipEntries('cve', file, options)) {
    ctx.progress.advance(entry.bytes);
    const full = addRecord(batcher, file, entry.name, parseFeedJson('cve', file, entry.name, entry.text));
    if (full) yield full;
  }
}

async function* readLineFile(ctx: SyncContext, batcher: VulnerabilityBatcher, file: string): Batches {
  const limit = Math.min(CVE_MAX_RECORD_BYTES, ctx.maxBytes);
  for await (const [line, n] of readLines('cve', file, (bytes) => ctx.progress.advance(bytes))) {
    if (line.trim() === '') continue;
    if (line.length > limit)
      throw new FeedError(
        'cve',
        file,
        `line ${n}`,
        `the line is ${line.length} characters, over the ${limit} limit for one record`,
      );
    const raw = parseFeedJson('cve', file, `line ${n}`, line);
    const parsed = cveLineSchema.safeParse(raw);
    if (!parsed.success)
      throw schemaError(file, `line ${n}`, raw, parsed.error.issues[0], 'a cves.jsonl record');
    const { vuln, ssvc } = fromCveLine(parsed.data);
    const full = batcher.add(vuln, ssvc ? [ssvc] : []);
    if (full) yield full;
  }
}

/** A CVE JSON 5 record (or, in a .json file, one line-format object); a full batch to yield, if any. */
function addRecord(
  batcher: VulnerabilityBatcher,
  file: string,
  where: string,
  raw: unknown,
): VulnerabilityBatch | undefined {
  if ((raw as { cve?: unknown } | null)?.cve !== undefined) {
    const line = cveLineSchema.safeParse(raw);
    if (!line.success) throw schemaError(file, where, raw, line.error.issues[0], 'a cves.jsonl record');
    const { vuln, ssvc } = fromCveLine(line.data);
    return batcher.add(vuln, ssvc ? [ssvc] : []);
  }
  const parsed = cve5Schema.safeParse(raw);
  if (!parsed.success) throw schemaError(file, where, raw, parsed.error.issues[0], 'a CVE JSON 5 record');
  const { vuln, ssvc } = fromCve5(parsed.data);
  return batcher.add(vuln, ssvc);
}

interface Issue {
  path: PropertyKey[];
  message: string;
}

function schemaError(
  file: string,
  where: string,
  raw: unknown,
  issue: Issue | undefined,
  what: string,
): FeedError {
  const r = raw as { cve?: unknown; cveMetadata?: { cveId?: unknown } } | null;
  const id = r?.cve ?? r?.cveMetadata?.cveId;
  const record = typeof id === 'string' && !where.includes(id) ? `${where} ${id}` : where;
  return new FeedError(
    'cve',
    file,
    record,
    `${issue?.path.map(String).join('.') || 'record'}: ${issue?.message}; not ${what}`,
  );
}
