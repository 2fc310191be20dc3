import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Vulnerability } from '../../core/types.js';
import { FeedError, parseFeedJson } from '../errors.js';
import { readLocation } from '../resource.js';
import type { FeedBatch, FeedRead, FeedSource, SyncContext } from '../types.js';
import {
  getNewestOutcome,
  makeVulnerabilityBatcher,
  type VulnerabilityBatcher,
} from '../vulnerability-batches.js';
import { walkFiles } from '../walk-files.js';
import { isZipFile, readZipEntries } from '../zip-entries.js';
import { osvRecordSchema, toVulnerability } from './osv-record.js';

const BATCH = 500;
/** The largest single OSV record read (the largest in OSV's exports is well under 1 MiB). */
export const OSV_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * OSV advisories: OSV.dev's `all.zip` exports (all ecosystems, or one `<Ecosystem>/all.zip`), a mirror
 * directory laid out `<Ecosystem>/all.zip`, a directory of OSV JSON files, or one record. Incremental by
 * `modified`: a record no newer than the stored copy is skipped.
 */
export const osvSource: FeedSource = {
  id: 'osv',
  description:
    'OSV advisories (all ecosystems: GHSA, PyPI, Go, Debian, Ubuntu, Alpine, …), incremental by modified',
  defaultUrl: 'https://osv-vulnerabilities.storage.googleapis.com/all.zip',
  mirrorNames: ['osv'],
  read: (ctx) => readLocation(ctx, 'osv', (path, isDirectory) => readOpened(ctx, { path, isDirectory })),
};

type Batches = AsyncGenerator<FeedBatch, void, undefined>;

async function* readOpened(ctx: SyncContext, opened: { path: string; isDirectory: boolean }): FeedRead {
  const batcher = makeVulnerabilityBatcher(BATCH);
  if (opened.isDirectory) yield* readDirectory(ctx, batcher, opened.path);
  else yield* readRecordFile(ctx, batcher, opened.path);
  yield batcher.drain();
  return getNewestOutcome(batcher);
}

const isRecordFile = (name: string) => name.endsWith('.json') || name.endsWith('.zip');

async function* readDirectory(ctx: SyncContext, batcher: VulnerabilityBatcher, dir: string): Batches {
  let files = 0;
  for await (const { path } of walkFiles('osv', dir, isRecordFile, ctx.maxBytes)) {
    yield* readRecordFile(ctx, batcher, path);
    files++;
  }
  if (files === 0)
    throw new FeedError('osv', dir, undefined, 'the directory holds no OSV JSON files or all.zip archives');
}

async function* readRecordFile(ctx: SyncContext, batcher: VulnerabilityBatcher, file: string): Batches {
  if (await isZipFile(file)) return yield* readZip(ctx, batcher, file);
  const text = await readFile(file, 'utf8');
  ctx.progress.advance(Buffer.byteLength(text));
  const document = parseFeedJson('osv', file, basename(file), text);
  // One record per file is OSV's layout; a list or the API's `{ vulns: [...] }` is accepted too.
  const records = Array.isArray(document) ? document : isVulnsList(document) ? document.vulns : [document];
  for (const [i, record] of records.entries()) {
    const where = records.length === 1 ? basename(file) : `[${i}]`;
    const full = batcher.add(toChecked(file, where, record));
    if (full) yield full;
  }
}

async function* readZip(ctx: SyncContext, batcher: VulnerabilityBatcher, file: string): Batches {
  const limit = Math.min(OSV_MAX_RECORD_BYTES, ctx.maxBytes);
  const entries = readZipEntries('osv', file, {
    accept: (name) => name.endsWith('.json'),
    maxEntryBytes: limit,
  });
  for await (const entry of entries) {
    ctx.progress.advance(entry.bytes);
    const full = batcher.add(toChecked(file, entry.name, parseFeedJson('osv', file, entry.name, entry.text)));
    if (full) yield full;
  }
}

/** Validates one record against the OSV fields used; a failure names the file, the entry and the field. */
function toChecked(file: string, where: string, raw: unknown): Vulnerability {
  const parsed = osvRecordSchema.safeParse(raw);
  if (parsed.success) return toVulnerability(parsed.data);
  const issue = parsed.error.issues[0];
  const id = (raw as { id?: unknown } | null)?.id;
  const record = typeof id === 'string' && !where.includes(id) ? `${where} ${id}` : where;
  throw new FeedError(
    'osv',
    file,
    record,
    `${issue?.path.join('.') || 'record'}: ${issue?.message}; not a valid OSV record`,
  );
}

function isVulnsList(value: unknown): value is { vulns: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { vulns?: unknown }).vulns);
}
