import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Vulnerability } from '../../core/types.js';
import { FeedError, parseFeedJson } from '../errors.js';
import { readLocation } from '../resource.js';
import type { FeedSource, SyncContext, SyncResult } from '../types.js';
import {
  countVulnerabilitiesFrom,
  makeVulnerabilityWriter,
  type VulnerabilityWriter,
} from '../vulnerability-writer.js';
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
  sync: (ctx) => readLocation(ctx, 'osv', (path, isDirectory) => importOpened(ctx, { path, isDirectory })),
};

async function importOpened(
  ctx: SyncContext,
  opened: { path: string; isDirectory: boolean },
): Promise<SyncResult> {
  const writer = makeVulnerabilityWriter(ctx, { batchSize: BATCH });
  if (opened.isDirectory) await importDirectory(ctx, writer, opened.path);
  else await importFile(ctx, writer, opened.path);
  const totals = await writer.finish();
  const result: SyncResult = { records: totals.written, total: await countVulnerabilitiesFrom(ctx, 'osv') };
  if (totals.written === 0) result.unchanged = true;
  if (totals.newest) result.newest = totals.newest;
  if (totals.newest) result.cursor = totals.newest;
  return result;
}

const isRecordFile = (name: string) => name.endsWith('.json') || name.endsWith('.zip');

async function importDirectory(
  ctx: SyncContext,
  writer: VulnerabilityWriter<never>,
  dir: string,
): Promise<void> {
  let files = 0;
  for await (const { path } of walkFiles('osv', dir, isRecordFile, ctx.maxBytes)) {
    await importFile(ctx, writer, path);
    files++;
  }
  if (files === 0)
    throw new FeedError('osv', dir, undefined, 'the directory holds no OSV JSON files or all.zip archives');
}

async function importFile(ctx: SyncContext, writer: VulnerabilityWriter<never>, file: string): Promise<void> {
  if (await isZipFile(file)) return importZip(ctx, writer, file);
  const text = await readFile(file, 'utf8');
  ctx.progress.advance(Buffer.byteLength(text));
  const document = parseFeedJson('osv', file, basename(file), text);
  // One record per file is OSV's layout; a list or the API's `{ vulns: [...] }` is accepted too.
  const records = Array.isArray(document) ? document : isVulnsList(document) ? document.vulns : [document];
  for (const [i, record] of records.entries()) {
    const where = records.length === 1 ? basename(file) : `[${i}]`;
    await writer.add(toChecked(file, where, record));
  }
}

async function importZip(ctx: SyncContext, writer: VulnerabilityWriter<never>, file: string): Promise<void> {
  const limit = Math.min(OSV_MAX_RECORD_BYTES, ctx.maxBytes);
  const entries = readZipEntries('osv', file, {
    accept: (name) => name.endsWith('.json'),
    maxEntryBytes: limit,
  });
  for await (const entry of entries) {
    ctx.progress.advance(entry.bytes);
    await writer.add(toChecked(file, entry.name, parseFeedJson('osv', file, entry.name, entry.text)));
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
