import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { isPatchcastError, PatchcastError } from '../../core/errors.js';
import { FeedError, parseFeedJson } from '../errors.js';
import { isUrl, openLocation } from '../resource.js';
import type { FeedBatch, FeedOutcome, FeedSource, SyncContext } from '../types.js';
import { makeVulnerabilityBatcher, type VulnerabilityBatcher } from '../vulnerability-batches.js';
import { walkFiles } from '../walk-files.js';
import { fromNvdCve, nvdCveSchema } from './nvd-record.js';
import { getNvdWindows } from './windows.js';

const BATCH = 1000;
const PAGE_SIZE = 2000;

/** One page of `GET /rest/json/cves/2.0`; records are checked one by one. */
const pageSchema = z.object({
  resultsPerPage: z.number().int().min(0),
  startIndex: z.number().int().min(0),
  totalResults: z.number().int().min(0),
  vulnerabilities: z.array(z.object({ cve: z.unknown() })),
});
type Page = z.infer<typeof pageSchema>;

export interface NvdOptions {
  /** The API key (default: the NVD_API_KEY environment variable), sent as the `apiKey` header. */
  apiKey?: string | undefined;
  /** Waits between requests; injectable so tests run instantly. */
  sleep?: (ms: number) => Promise<void>;
  /** Results per page (NVD allows up to 2000). */
  pageSize?: number;
}

/**
 * NVD's public rate limits (https://nvd.nist.gov/developers/start-here): 5 requests per rolling 30 s
 * without a key, 50 with one. Requests are spaced evenly inside that budget.
 */
export function getNvdRequestSpacing(hasKey: boolean): number {
  return hasKey ? 30_000 / 50 : 30_000 / 5;
}

/** NVD answers 403 Forbidden, not 429, to a client over its rate limit (seen with and without a key). */
const NVD_RATE_LIMIT_STATUSES = [403];

/** Builds the NVD source; `nvdSource` is the default instance. */
export function makeNvdSource(options: NvdOptions = {}): FeedSource {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    id: 'nvd',
    description: 'NVD CVE API 2.0 (paged, incremental by lastModified; NVD_API_KEY raises the rate limit)',
    defaultUrl: 'https://services.nvd.nist.gov/rest/json/cves/2.0',
    mirrorNames: ['nvd'],
    async *read(ctx) {
      const batcher = makeVulnerabilityBatcher(BATCH);
      let cursor: string | undefined;
      if (isUrl(ctx.location)) {
        const apiKey = options.apiKey ?? (process.env.NVD_API_KEY || undefined);
        cursor = yield* fetchPages(ctx, batcher, { apiKey, sleep, pageSize: options.pageSize ?? PAGE_SIZE });
      } else {
        yield* readSavedPages(ctx, batcher);
      }
      yield batcher.drain();
      const outcome: FeedOutcome = {};
      if (batcher.newest) outcome.newest = batcher.newest;
      if (cursor) outcome.cursor = cursor;
      return outcome;
    },
  };
}

/** NVD CVE API 2.0, live (or a mirror of its pages with --from DIR). */
export const nvdSource: FeedSource = makeNvdSource();

interface FetchOptions {
  apiKey: string | undefined;
  sleep: (ms: number) => Promise<void>;
  pageSize: number;
}

/**
 * Pages through the API: everything on a first sync, then only what changed since the cursor, in
 * windows of at most 120 days (NVD's limit). Returns the new cursor: the end of the last window.
 */
async function* fetchPages(
  ctx: SyncContext,
  batcher: VulnerabilityBatcher,
  o: FetchOptions,
): AsyncGenerator<FeedBatch, string, undefined> {
  const spacing = getNvdRequestSpacing(Boolean(o.apiKey));
  const headers: Record<string, string> = o.apiKey ? { apiKey: o.apiKey } : {};
  const end = ctx.now.toISOString();
  let requests = 0;
  for (const window of getNvdWindows(ctx.state?.cursor, end)) {
    for (let start = 0, total = 1; start < total; ) {
      if (requests++ > 0) await o.sleep(spacing);
      const url = pageUrl(ctx.location, start, o.pageSize, window);
      const page = checkPage(url, await fetchPage(ctx, url, headers, spacing));
      if (start === 0) ctx.progress.setTotal(page.totalResults, 'records');
      yield* addPage(batcher, url, page);
      ctx.progress.advance(page.vulnerabilities.length);
      total = page.totalResults;
      // An empty page before the total is reached would loop forever; NVD's total moved under us.
      if (page.vulnerabilities.length === 0) break;
      start += page.vulnerabilities.length;
    }
  }
  return end;
}

/**
 * GETs one page. Rate-limit answers are retried by the HTTP client, each retry waiting at least the
 * request spacing; when the retries run out the error says so and how to raise the limit.
 */
async function fetchPage(
  ctx: SyncContext,
  url: string,
  headers: Record<string, string>,
  spacing: number,
): Promise<unknown> {
  const options = { source: 'nvd', headers, rateLimitStatuses: NVD_RATE_LIMIT_STATUSES };
  try {
    return await ctx.http.getJson(url, { ...options, minRetryDelayMs: spacing });
  } catch (error) {
    if (isPatchcastError(error) && error.code === 'UPSTREAM_RATE_LIMITED')
      throw makeRateLimitError(error, 'apiKey' in headers);
    throw error;
  }
}

function makeRateLimitError(error: PatchcastError, hasKey: boolean): PatchcastError {
  const hint = hasKey
    ? 'NVD_API_KEY is set (50 requests per 30 s); something else may be using the key or this address. Wait a minute and sync again.'
    : 'Set NVD_API_KEY (free: https://nvd.nist.gov/developers/request-an-api-key) to raise the limit from 5 to 50 requests per 30 s, or wait a minute and sync again.';
  const fix = hasKey ? 'wait and sync again' : 'set NVD_API_KEY to raise it from 5 to 50 requests per 30 s';
  return new PatchcastError(
    'UPSTREAM_RATE_LIMITED',
    `${error.message} — the NVD API rate limit was hit; ${fix}`,
    { hint, details: error.details, cause: error },
  );
}

function pageUrl(
  base: string,
  start: number,
  size: number,
  window: { start: string; end: string } | undefined,
): string {
  const url = new URL(base);
  url.searchParams.set('startIndex', String(start));
  url.searchParams.set('resultsPerPage', String(size));
  if (window) {
    url.searchParams.set('lastModStartDate', window.start);
    url.searchParams.set('lastModEndDate', window.end);
  }
  return url.toString();
}

/** Saved API pages (`--from DIR` of JSON files, or one file), for air-gapped use. */
async function* readSavedPages(
  ctx: SyncContext,
  batcher: VulnerabilityBatcher,
): AsyncGenerator<FeedBatch, void, undefined> {
  const opened = await openLocation(ctx, 'nvd');
  if (opened.unchanged) return;
  const files = opened.isDirectory
    ? walkFiles('nvd', opened.path, (n) => n.endsWith('.json'), ctx.maxBytes)
    : single(opened.path);
  let count = 0;
  for await (const { path } of files) {
    const text = await readFile(path, 'utf8');
    ctx.progress.advance(Buffer.byteLength(text));
    yield* addPage(batcher, path, checkPage(path, parseFeedJson('nvd', path, basename(path), text)));
    count++;
  }
  if (count === 0)
    throw new FeedError('nvd', opened.path, undefined, 'the directory holds no saved NVD API pages (*.json)');
}

async function* single(path: string): AsyncGenerator<{ path: string }> {
  yield { path };
}

function checkPage(file: string, raw: unknown): Page {
  const parsed = pageSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new FeedError(
    'nvd',
    file,
    undefined,
    `${issue?.path.join('.') || 'page'}: ${issue?.message}; not an NVD CVE API 2.0 page`,
  );
}

function* addPage(
  batcher: VulnerabilityBatcher,
  file: string,
  page: Page,
): Generator<FeedBatch, void, undefined> {
  for (const [i, item] of page.vulnerabilities.entries()) {
    const parsed = nvdCveSchema.safeParse(item.cve);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const id = (item.cve as { id?: unknown } | null)?.id;
      const record = `vulnerabilities[${i}]${typeof id === 'string' ? ` ${id}` : ''}`;
      throw new FeedError('nvd', file, record, `cve.${issue?.path.join('.')}: ${issue?.message}`);
    }
    const full = batcher.add(fromNvdCve(parsed.data));
    if (full) yield full;
  }
}
