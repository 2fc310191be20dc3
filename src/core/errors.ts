/**
 * The one catalogue of patchcast's coded errors. Every error a user can meet has a code here, with
 * the HTTP status the API answers with and the exit code the CLI ends with. Library code throws
 * `PatchcastError`; only `api/` maps it to HTTP and only `cli/` to an exit code.
 */

/** Exit codes, kept in one place. 1 is reserved for "the command ran and found something" (e.g. findings at or above --fail-on). */
export const EXIT = {
  ok: 0,
  found: 1,
  usage: 2,
  config: 3,
  store: 4,
  input: 5,
  upstream: 6,
  conflict: 7,
  internal: 70,
  /** The reader of stdout went away (`| head`): 128 + SIGPIPE, as shells report it. */
  brokenPipe: 141,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

interface CatalogueEntry {
  /** HTTP status the API answers with. */
  status: number;
  /** Exit code the CLI ends with. */
  exit: ExitCode;
  /** What the user can do about it, when the thrower gives no more specific hint. */
  hint: string;
}

export const ERROR_CATALOGUE = {
  USAGE_INVALID_ARGUMENT: { status: 400, exit: EXIT.usage, hint: 'Run the command with --help.' },
  CONFIG_NOT_FOUND: {
    status: 404,
    exit: EXIT.config,
    hint: 'Run `patchcast init` to write a starter patchcast.yaml, or pass --config FILE.',
  },
  CONFIG_INVALID_YAML: { status: 400, exit: EXIT.config, hint: 'Fix the YAML syntax at the line shown.' },
  CONFIG_INVALID: {
    status: 400,
    exit: EXIT.config,
    hint: 'Fix the fields listed; `patchcast config validate` re-checks the file.',
  },
  CONFIG_EXISTS: {
    status: 409,
    exit: EXIT.conflict,
    hint: 'Pass --force to overwrite it, or choose another path.',
  },
  STORE_UNREACHABLE: {
    status: 503,
    exit: EXIT.store,
    hint: 'Check that PostgreSQL is running and that PATCHCAST_DATABASE_URL is right.',
  },
  STORE_NOT_SQLITE: {
    status: 500,
    exit: EXIT.store,
    hint: 'Point PATCHCAST_HOME at a directory whose patchcast.db is a patchcast database, or move the file away.',
  },
  STORE_NOT_WRITABLE: {
    status: 500,
    exit: EXIT.store,
    hint: 'Make the directory writable or set PATCHCAST_HOME to a writable directory.',
  },
  STORE_SCHEMA_TOO_NEW: {
    status: 500,
    exit: EXIT.store,
    hint: 'This database was migrated by a newer patchcast; upgrade patchcast before using it.',
  },
  STORE_MIGRATION_FAILED: {
    status: 500,
    exit: EXIT.store,
    hint: 'The database was left at its previous schema version; see the cause above.',
  },
  STORE_INVALID_URL: {
    status: 400,
    exit: EXIT.config,
    hint: 'Use postgres://user@host:port/database (optionally ?schema=NAME).',
  },
  STORE_NO_ASSETS: {
    status: 409,
    exit: EXIT.input,
    hint: 'Import your inventory first (`patchcast inventory import PATH`), or try patchcast on the bundled demo fleet with `patchcast run --demo`.',
  },
  STORE_NO_DEBIAN_ADVISORIES: {
    status: 409,
    exit: EXIT.input,
    hint: 'Run `patchcast sync debian-advisories --from FILE` (or `patchcast sync --offline DIR` on a mirror holding debian_security_advisories.jsonl.gz), or pass --data DIR.',
  },
  STORE_CONFLICT: { status: 409, exit: EXIT.conflict, hint: 'Reload the record and try again.' },
  STORE_NOT_FOUND: { status: 404, exit: EXIT.input, hint: 'Check the id; list what exists first.' },
  ROLLOUT_LEASE_STALE: {
    status: 409,
    exit: EXIT.conflict,
    hint: 'The job was leased again after this lease ran out; stop working on it (its new holder re-checks the host).',
  },
  ROLLOUT_STATE: {
    status: 409,
    exit: EXIT.conflict,
    hint: 'See the rollout with `patchcast rollout status` and choose an action its state allows.',
  },
  INPUT_INVALID: { status: 400, exit: EXIT.input, hint: 'Fix the input named above.' },
  INPUT_TOO_LARGE: { status: 413, exit: EXIT.input, hint: 'Split the input or raise the size limit.' },
  INPUT_NOT_FOUND: { status: 404, exit: EXIT.input, hint: 'Check the path.' },
  VERSION_INVALID: {
    status: 400,
    exit: EXIT.input,
    hint: 'Check the version string for the ecosystem named.',
  },
  VERSION_UNKNOWN_ECOSYSTEM: {
    status: 400,
    exit: EXIT.input,
    hint: 'Use one of the ecosystems listed (OSV spelling).',
  },
  VERSION_INVALID_RANGE: {
    status: 400,
    exit: EXIT.input,
    hint: 'Check the range syntax for the ecosystem named.',
  },
  UPSTREAM_UNAVAILABLE: {
    status: 502,
    exit: EXIT.upstream,
    hint: 'The source did not answer after retries; try later or sync from a mirror with --from.',
  },
  UPSTREAM_RATE_LIMITED: {
    status: 429,
    exit: EXIT.upstream,
    hint: 'The source is rate limiting; wait, or set an API key in the environment.',
  },
  HOST_UNREACHABLE: {
    status: 502,
    exit: EXIT.upstream,
    hint: "Check the host's address, port, user and key, and that sshd runs there; a refused host key is named with its fingerprint.",
  },
  MODEL_LABELS_UNKNOWN: {
    status: 400,
    exit: EXIT.usage,
    hint: "Choose an earlier as-of day or a shorter --horizon so every label window ends by the data's last day.",
  },
  MODEL_NO_EPSS: {
    status: 400,
    exit: EXIT.usage,
    hint: 'Train without --epss, or add full daily EPSS files (epss_scores-YYYY-MM-DD.csv.gz) dated within 45 days of the training days.',
  },
  AUTH_REQUIRED: {
    status: 401,
    exit: EXIT.usage,
    hint: 'Send Authorization: Bearer <token>; an admin creates tokens with `patchcast tokens create`.',
  },
  AUTH_FORBIDDEN: {
    status: 403,
    exit: EXIT.usage,
    hint: "Use a credential whose role allows this action; `patchcast tokens list` shows each token's role.",
  },
  API_RATE_LIMITED: {
    status: 429,
    exit: EXIT.upstream,
    hint: 'Too many requests from this client; wait for the Retry-After seconds, or raise server.rateLimit.',
  },
  API_ROUTE_NOT_FOUND: {
    status: 404,
    exit: EXIT.usage,
    hint: 'GET /openapi.json lists every route of the API.',
  },
  API_AUTHZ_MISSING: {
    status: 500,
    exit: EXIT.internal,
    hint: 'A route answered without an authorization decision; this is a bug in patchcast: report it.',
  },
  OUTPUT_CLOSED: {
    status: 500,
    exit: EXIT.brokenPipe,
    hint: 'The command reading the output (head, less, …) stopped early; the rest was not printed.',
  },
  INTERNAL: {
    status: 500,
    exit: EXIT.internal,
    hint: 'This is a bug in patchcast; run with --verbose and report it.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface PatchcastErrorOptions {
  /** A more specific hint than the catalogue's. */
  hint?: string;
  /** Machine-readable details (file, field, line, …). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** A coded error. `message` is one line that names the file, field or record at fault. */
export class PatchcastError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: PatchcastErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PatchcastError';
    this.code = code;
    this.hint = options.hint ?? ERROR_CATALOGUE[code].hint;
    this.details = options.details ?? {};
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  get exitCode(): ExitCode {
    return ERROR_CATALOGUE[this.code].exit;
  }

  /** The machine-readable form printed by `--json` and answered by the API. */
  toJSON(): { error: { code: ErrorCode; message: string; hint: string; details: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, hint: this.hint, details: this.details } };
  }
}

export function isPatchcastError(error: unknown): error is PatchcastError {
  return error instanceof PatchcastError;
}

/** Wraps anything thrown into a PatchcastError, keeping coded errors as they are. */
export function toPatchcastError(error: unknown): PatchcastError {
  if (isPatchcastError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PatchcastError('INTERNAL', message.split('\n')[0] ?? 'unknown error', { cause: error });
}
