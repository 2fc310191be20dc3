import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PatchcastError } from '../core/errors.js';
import { FeedTooLargeError } from './errors.js';

/** A downloaded file, or word that the server has nothing newer than the validators sent. */
export type Download =
  | { notModified: true }
  | {
      notModified: false;
      path: string;
      bytes: number;
      etag?: string;
      lastModified?: string;
      cleanup(): Promise<void>;
    };

export interface DownloadOptions {
  /** The source id, for messages. */
  source: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
  maxBytes: number;
  headers?: Record<string, string>;
  /** Called with each chunk's byte count, and once with the total when the server states it. */
  onBytes?: (bytes: number) => void;
  onTotal?: (bytes: number) => void;
}

export interface GetJsonOptions {
  /** The source id, for messages. */
  source: string;
  headers?: Record<string, string>;
  /**
   * Statuses besides 429 by which this API says "too many requests" (NVD answers 403); they are
   * retried like 429, and reported as `UPSTREAM_RATE_LIMITED` when the retries run out.
   */
  rateLimitStatuses?: readonly number[];
  /** The least wait before a retry, so retries keep to the API's request spacing too (default 0). */
  minRetryDelayMs?: number;
}

export interface HttpClient {
  /** Downloads `url` to a temporary file (conditional on the validators), retrying transient failures. */
  download(url: string, options: DownloadOptions): Promise<Download>;
  /** GETs a JSON document, retrying transient failures (for paged APIs). */
  getJson(url: string, options: GetJsonOptions): Promise<unknown>;
}

export interface HttpOptions {
  /** Attempts after the first (default 4). */
  retries?: number;
  /** Backoff base and cap (default 500 ms, 30 s); each wait is full-jitter exponential. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Time allowed for a response's headers, and between body chunks (default 60 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Transient trouble worth another attempt: rate limits, server errors, timeouts, cut connections. */
class RetryableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    readonly rateLimited = false,
  ) {
    super(message);
  }
}

const USER_AGENT = 'patchcast (+https://patchcast.dev)';

export function makeHttpClient(options: HttpOptions = {}): HttpClient {
  const retries = options.retries ?? 4;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;

  async function withRetries<T>(
    source: string,
    url: string,
    attempt: () => Promise<T>,
    minDelayMs = 0,
  ): Promise<T> {
    let last: RetryableError | undefined;
    for (let n = 0; n <= retries; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        last = error;
        if (n === retries) break;
        const backoff = Math.min(cap, base * 2 ** n) * random();
        await sleep(Math.min(cap, Math.max(backoff, error.retryAfterMs ?? 0, minDelayMs)));
      }
    }
    const code = last?.rateLimited ? 'UPSTREAM_RATE_LIMITED' : 'UPSTREAM_UNAVAILABLE';
    throw new PatchcastError(
      code,
      `${source}: ${redact(url)} failed after ${retries + 1} attempts: ${last?.message}`,
      {
        details: { source, url: redact(url), status: last?.status },
      },
    );
  }

  async function request(
    url: string,
    headers: Record<string, string>,
    rateLimitStatuses: readonly number[] = [],
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { 'user-agent': USER_AGENT, ...headers },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'follow',
      });
    } catch (error) {
      throw new RetryableError(describeFetchError(error));
    }
    const rateLimited = response.status === 429 || rateLimitStatuses.includes(response.status);
    if (rateLimited || response.status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      throw new RetryableError(
        `HTTP ${response.status}`,
        response.status,
        parseRetryAfter(response.headers.get('retry-after')),
        rateLimited,
      );
    }
    return response;
  }

  return {
    download(url, o) {
      return withRetries(o.source, url, async () => {
        const headers: Record<string, string> = { ...o.headers };
        if (o.etag) headers['if-none-match'] = o.etag;
        if (o.lastModified) headers['if-modified-since'] = o.lastModified;
        const response = await request(url, headers);
        if (response.status === 304) return { notModified: true };
        if (!response.ok || !response.body) {
          throw new PatchcastError(
            'UPSTREAM_UNAVAILABLE',
            `${o.source}: ${redact(url)} answered HTTP ${response.status}`,
          );
        }
        return saveBody(url, response, o, timeoutMs);
      });
    },
    getJson(url, o) {
      const attempt = async () => {
        const headers = { accept: 'application/json', ...o.headers };
        const response = await request(url, headers, o.rateLimitStatuses);
        if (!response.ok)
          throw new PatchcastError(
            'UPSTREAM_UNAVAILABLE',
            `${o.source}: ${redact(url)} answered HTTP ${response.status}`,
          );
        try {
          return (await response.json()) as unknown;
        } catch (error) {
          throw new RetryableError(`the JSON body was cut short or malformed (${describeFetchError(error)})`);
        }
      };
      return withRetries(o.source, url, attempt, o.minRetryDelayMs);
    },
  };
}

/** Streams the body to a temporary file, enforcing the size limit and checking Content-Length. */
async function saveBody(
  url: string,
  response: Response,
  o: DownloadOptions,
  timeoutMs: number,
): Promise<Download> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared)) {
    if (declared > o.maxBytes) throw new FeedTooLargeError(o.source, redact(url), declared, o.maxBytes);
    o.onTotal?.(declared);
  }
  const dir = await mkdtemp(join(tmpdir(), `patchcast-${o.source}-`));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const path = join(dir, fileNameOf(url));
  let bytes = 0;
  try {
    const out = createWriteStream(path);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const chunk = await readWithTimeout(reader, timeoutMs);
      if (chunk.done) break;
      bytes += chunk.value.byteLength;
      if (bytes > o.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new FeedTooLargeError(o.source, redact(url), bytes, o.maxBytes);
      }
      o.onBytes?.(chunk.value.byteLength);
      if (!out.write(chunk.value)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    if (Number.isFinite(declared) && bytes !== declared) {
      throw new RetryableError(`the body was cut short: ${bytes} of ${declared} bytes`);
    }
  } catch (error) {
    await cleanup();
    if (error instanceof RetryableError || error instanceof PatchcastError) throw error;
    throw new RetryableError(`the download broke off: ${describeFetchError(error)}`);
  }
  const result: Download = { notModified: false, path, bytes, cleanup };
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  if (etag) result.etag = etag;
  if (lastModified) result.lastModified = lastModified;
  return result;
}

async function readWithTimeout(reader: ReadableStreamDefaultReader<Uint8Array>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RetryableError(`no data for ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([reader.read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (error.name === 'TimeoutError') return 'timed out';
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

function fileNameOf(url: string): string {
  const last = new URL(url).pathname.split('/').filter(Boolean).pop() ?? 'download';
  return last.replace(/[^A-Za-z0-9._-]/g, '_') || 'download';
}

/** Drops credentials and API keys from a URL before it is shown. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()])
      if (/key|token|secret/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return url;
  }
}
