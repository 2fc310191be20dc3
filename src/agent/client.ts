/**
 * The agent's HTTP client for the server's agent routes (src/api/routes/agents.ts and the agent job
 * protocol in src/api/routes/rollouts.ts). It retries network errors, 429 and 5xx with backoff, maps
 * RFC 9457 problem documents back to patchcast's coded errors, and never puts the credential in a
 * message, an error or a log line.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ERROR_CATALOGUE, type ErrorCode, PatchcastError } from '../core/errors.js';
import type { JobChannel, JobOutcome, LeasedJob, StepReport } from '../rollout/contract.js';

export type Versions = Array<{ name: string; version: string | null }>;

export interface ClientOptions {
  /** The server's base URL, `https://patchcast.example:8443` (a path prefix is kept). */
  server: string;
  /** PEM text of the CA that signed a self-signed server's certificate. */
  ca?: string;
  /** Attempts per request, counting the first (default 5). */
  attempts?: number;
  /** Backoff before the first retry; doubled each time up to 15 s (default 500 ms). */
  backoffMs?: number;
  /** How a retry waits (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
}

interface Answer {
  status: number;
  body: string;
}

const MAX_BACKOFF_MS = 15_000;
/** A request's own limit; a lease's long poll adds its wait on top. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * One server and one credential. `node:https` rather than the global fetch: fetch can trust an extra
 * CA only through undici's own Agent (another dependency, whose major must match the copy bundled in
 * Node), while `https.request` takes the `ca` option directly.
 */
export class AgentClient {
  readonly server: URL;
  readonly #credential: string | undefined;
  readonly #options: ClientOptions;

  constructor(options: ClientOptions, credential?: string) {
    this.server = parseServerUrl(options.server);
    this.#credential = credential;
    this.#options = options;
  }

  /** Trades a one-time enrollment token for this agent's credential (the token is the route's only credential). */
  enroll(input: { enrollToken: string; assetId: string; hostname: string }) {
    return this.post<{ agentId: string; credential: string; assetId: string }>(
      '/api/v1/agents/enroll',
      input,
    );
  }

  /** The calling agent's own released jobs, waiting up to `wait` seconds for one (long poll). */
  lease(input: { limit?: number; wait?: number }, signal?: AbortSignal): Promise<LeasedJob[]> {
    const wait = input.wait ?? 0;
    return this.post<LeasedJob[]>(
      '/api/v1/agent/lease',
      { limit: input.limit ?? 1, wait },
      { timeoutMs: REQUEST_TIMEOUT_MS + wait * 1000, ...(signal ? { signal } : {}) },
    );
  }

  heartbeat(jobId: string, token: number) {
    return this.post<{ leaseExpiresAt: string }>(jobPath(jobId, 'heartbeat'), { token });
  }

  beginApply(jobId: string, token: number, previous: Versions) {
    return this.post<{ accepted: true }>(jobPath(jobId, 'apply'), { token, previous });
  }

  reportStep(jobId: string, token: number, report: StepReport) {
    return this.post<{ accepted: true }>(jobPath(jobId, 'steps'), { token, report });
  }

  end(
    jobId: string,
    token: number,
    outcome: JobOutcome,
    detail: { lastError?: string; transient?: boolean },
  ) {
    return this.post<{ status: string }>(jobPath(jobId, 'end'), {
      token,
      outcome,
      ...(detail.lastError ? { lastError: detail.lastError.slice(0, 4000) } : {}),
      ...(detail.transient ? { transient: true } : {}),
    });
  }

  /** The calling agent's own host's open jobs (pending, ready, leased). */
  listJobs() {
    return this.request<Array<{ id: string; status: string }>>('GET', '/api/v1/agent/jobs');
  }

  /** Sends a `patchcast.agent-report/1` document (a raw upload). */
  sendInventory(document: string) {
    return this.request<{ assetId: string; packages: number; warnings: string[] }>(
      'POST',
      '/api/v1/agent/inventory',
      { body: document, contentType: 'application/json' },
    );
  }

  post<T>(path: string, body: unknown, options: { timeoutMs?: number; signal?: AbortSignal } = {}) {
    return this.request<T>('POST', path, {
      ...options,
      body: JSON.stringify(body),
      contentType: 'application/json',
    });
  }

  /** One call, retried on network errors, 429 and 5xx; any other answer is final. */
  async request<T>(
    method: string,
    path: string,
    options: { body?: string; contentType?: string; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<T> {
    const attempts = this.#options.attempts ?? 5;
    const sleep = this.#options.sleep ?? delay;
    let backoff = this.#options.backoffMs ?? 500;
    for (let attempt = 1; ; attempt++) {
      let failure: PatchcastError;
      try {
        const answer = await this.send(method, path, options);
        if (answer.status >= 200 && answer.status < 300) return parseJson(answer.body, path) as T;
        failure = toError(answer, method, path);
        if (answer.status !== 429 && answer.status < 500) throw failure;
      } catch (error) {
        if (error instanceof PatchcastError && !isRetryable(error)) throw error;
        if (options.signal?.aborted) throw error;
        failure = error instanceof PatchcastError ? error : this.networkError(error, path);
      }
      if (attempt >= attempts) throw failure;
      await sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  send(
    method: string,
    path: string,
    options: { body?: string; contentType?: string; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<Answer> {
    const url = new URL(this.server.pathname.replace(/\/$/, '') + path, this.server);
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (this.#credential) headers.authorization = `Bearer ${this.#credential}`;
    if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(options.body));
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Answer>((resolve, reject) => {
      const req = send(url, {
        method,
        headers,
        timeout: options.timeoutMs ?? REQUEST_TIMEOUT_MS,
        ...(this.#options.ca ? { ca: this.#options.ca } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.end(options.body);
    });
  }

  /** A network failure worded with what to check: the URL, the name, the port, the certificate. */
  networkError(error: unknown, path: string): PatchcastError {
    const code = (error as { code?: string }).code ?? '';
    const message = error instanceof Error ? error.message : String(error);
    const where = this.server.origin;
    let hint = `Check --server ${where}: that patchcast serve runs there and this host can reach it.`;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      hint = `The name ${this.server.hostname} does not resolve; check --server.`;
    if (code === 'ECONNREFUSED')
      hint = `Nothing listens at ${where}; check the port in --server and that patchcast serve runs.`;
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
      hint = `The server's TLS certificate is not trusted; pass --ca FILE with the CA that signed it (or fix the URL's host name).`;
    if (code === 'EPROTO' || /wrong version number/i.test(message))
      hint = `TLS failed; does ${where} speak ${this.server.protocol === 'https:' ? 'https (not http)' : 'http'}?`;
    return new PatchcastError(
      'UPSTREAM_UNAVAILABLE',
      `cannot reach the patchcast server at ${where} (${path}): ${code || message}`,
      {
        hint,
        details: { server: where, path, code },
        cause: error,
      },
    );
  }
}

/**
 * The `JobChannel` of one leased job over this client. A 409 ROLLOUT_LEASE_STALE answer rejects as
 * that PatchcastError, so the caller stops working on the job.
 */
export function makeApiJobChannel(client: AgentClient, work: Pick<LeasedJob, 'job' | 'token'>): JobChannel {
  const { id } = work.job;
  return {
    heartbeat: async () => void (await client.heartbeat(id, work.token)),
    beginApply: async (previous) => void (await client.beginApply(id, work.token, previous)),
    report: async (report) => void (await client.reportStep(id, work.token, report)),
    end: async (outcome, detail) => void (await client.end(id, work.token, outcome, detail)),
  };
}

/** Whether an error means the server moved on from this lease (stop, drop what was pending). */
export function isLeaseStale(error: unknown): boolean {
  return error instanceof PatchcastError && error.code === 'ROLLOUT_LEASE_STALE';
}

/** Job ids hold `/`, `:` and `#`: always one encoded path segment. */
function jobPath(jobId: string, verb: string): string {
  return `/api/v1/agent/jobs/${encodeURIComponent(jobId)}/${verb}`;
}

export function parseServerUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PatchcastError('USAGE_INVALID_ARGUMENT', `--server ${JSON.stringify(text)} is not a URL`, {
      hint: 'Give the server as https://HOST:PORT (the address `patchcast serve` listens on).',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new PatchcastError('USAGE_INVALID_ARGUMENT', `--server ${text}: the scheme must be https or http`, {
      hint: 'Give the server as https://HOST:PORT.',
    });
  if (url.username || url.password || url.search || url.hash)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `--server ${url.origin}: no credentials, query or fragment in the URL`,
      {
        hint: 'Give only https://HOST:PORT[/prefix]; the agent sends its credential in a header.',
      },
    );
  return url;
}

function parseJson(body: string, path: string): unknown {
  try {
    return body === '' ? undefined : JSON.parse(body);
  } catch {
    throw new PatchcastError(
      'UPSTREAM_UNAVAILABLE',
      `${path}: the server answered with something other than JSON`,
      {
        hint: 'Check that --server points at patchcast serve, not at another web server or a proxy page.',
      },
    );
  }
}

/** A non-2xx answer as a coded error: the problem document's own code when patchcast knows it. */
function toError(answer: Answer, method: string, path: string): PatchcastError {
  let problem: { code?: unknown; detail?: unknown; hint?: unknown; details?: unknown } = {};
  try {
    problem = JSON.parse(answer.body) as typeof problem;
  } catch {
    // Not a problem document: a proxy or another server answered.
  }
  const known = typeof problem.code === 'string' && problem.code in ERROR_CATALOGUE;
  const code: ErrorCode = known
    ? (problem.code as ErrorCode)
    : answer.status >= 500 || answer.status === 429
      ? 'UPSTREAM_UNAVAILABLE'
      : 'INPUT_INVALID';
  const detail = typeof problem.detail === 'string' ? problem.detail : `HTTP ${answer.status}`;
  const hint = known
    ? getHint(code, answer.status, typeof problem.hint === 'string' ? problem.hint : undefined)
    : 'The answer is not a patchcast problem document: check that --server is the base URL of `patchcast serve` (no /api/v1, no proxy page in between).';
  return new PatchcastError(code, `${method} ${path}: ${detail}`, {
    ...(hint ? { hint } : {}),
    details: {
      ...(problem.details && typeof problem.details === 'object'
        ? (problem.details as Record<string, unknown>)
        : {}),
      httpStatus: answer.status,
    },
  });
}

function getHint(code: ErrorCode, status: number, server: string | undefined): string | undefined {
  if (status === 401 || code === 'AUTH_REQUIRED')
    return "The server does not accept this agent's credential (revoked, or enrolled against another server): enroll again with `patchcast agent enroll`.";
  if (status === 404 && code === 'API_ROUTE_NOT_FOUND')
    return 'The server has no such route: check that --server is the patchcast API (and its version).';
  return server;
}

function isRetryable(error: PatchcastError): boolean {
  const status = error.details.httpStatus;
  return typeof status === 'number' && (status >= 500 || status === 429);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
