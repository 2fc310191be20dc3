import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { type DialectAdapter, Kysely, PostgresDialect, SqliteAdapter, SqliteDialect } from 'kysely';
import { PatchcastError } from '../core/errors.js';
import { migrateToLatest } from './migrate.js';
import { installCopyHook } from './pg-copy.js';
import { registerSqliteHandle } from './rows.js';
import type { Database } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

/** An open store: a Kysely handle on SQLite or PostgreSQL. Repositories take `store.db`. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  /** Where the data lives: a file path, or the PostgreSQL URL without its password. */
  readonly location: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite under `home`. Defaults to PATCHCAST_DATABASE_URL. */
  databaseUrl?: string | undefined;
  /** Directory of the SQLite file. Defaults to PATCHCAST_HOME, else `./.patchcast`. */
  home?: string | undefined;
  /** Run pending migrations on open (default true). `patchcast db status` opens without. */
  migrate?: boolean;
}

export const SQLITE_FILE = 'patchcast.db';
const SQLITE_MAGIC = 'SQLite format 3\0';

/** Resolves the store settings from explicit options, then the environment, then defaults. */
export function getStoreSettings(options: StoreOptions = {}): { databaseUrl?: string; home: string } {
  const databaseUrl = options.databaseUrl ?? (process.env.PATCHCAST_DATABASE_URL || undefined);
  const home = resolve(options.home ?? (process.env.PATCHCAST_HOME || '.patchcast'));
  return databaseUrl ? { databaseUrl, home } : { home };
}

/** Opens (and by default migrates) the store chosen by the options or the environment. */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const settings = getStoreSettings(options);
  const store = settings.databaseUrl ? await openPostgres(settings.databaseUrl) : openSqlite(settings.home);
  if (options.migrate === false) return store;
  try {
    await migrateToLatest(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openSqlite(home: string): Store {
  ensureWritableDirectory(home);
  const file = join(home, SQLITE_FILE);
  assertSqliteFile(file);
  let database: SQLite.Database;
  try {
    database = new SQLite(file);
    // A query before any write: a file that is not a database fails here, untouched.
    database.pragma('schema_version');
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 10000');
    // WAL with synchronous=NORMAL stays consistent on power loss (a commit may roll back, never
    // corrupt); a larger page cache and in-memory temp tables keep bulk matching off the disk.
    database.pragma('synchronous = NORMAL');
    database.pragma('cache_size = -65536');
    database.pragma('temp_store = MEMORY');
  } catch (error) {
    throw new PatchcastError(
      'STORE_NOT_SQLITE',
      `${file} is not a usable SQLite database: ${messageOf(error)}`,
      {
        cause: error,
        details: { file },
      },
    );
  }
  const db = new Kysely<Database>({ dialect: new TransactionalSqliteDialect(database) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

/** SQLite runs DDL inside transactions; telling Kysely so makes each migration batch all-or-nothing. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalSqliteDialect extends SqliteDialect {
  readonly #database: SQLite.Database;
  constructor(database: SQLite.Database) {
    super({ database });
    this.#database = database;
  }
  override createAdapter(): DialectAdapter {
    const adapter = new TransactionalSqliteAdapter();
    registerSqliteHandle(adapter, this.#database);
    return adapter;
  }
}

/** Checks the header before SQLite sees the file, so a foreign file is never opened for writing. */
function assertSqliteFile(file: string): void {
  if (!existsSync(file)) return;
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (read === 0) return; // an empty file is a new database to SQLite
  if (read < 16 || header.toString('latin1') !== SQLITE_MAGIC) {
    throw new PatchcastError(
      'STORE_NOT_SQLITE',
      `${file} is not a SQLite database (its header does not match)`,
      {
        details: { file },
      },
    );
  }
}

function ensureWritableDirectory(home: string): void {
  try {
    makeDirectoryTree(home);
    accessSync(home, constants.W_OK);
    // access() says yes to root on a read-only mount; a real write is the only honest probe.
    const probe = join(home, `.write-probe-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (error) {
    throw new PatchcastError(
      'STORE_NOT_WRITABLE',
      `PATCHCAST_HOME ${home} is not writable: ${messageOf(error)}`,
      {
        cause: error,
        details: { home },
      },
    );
  }
}

/**
 * mkdir -p, one level at a time from the nearest existing ancestor. Node 20's recursive mkdirSync
 * loops forever when the parent exists but refuses children with ENOENT (/proc); this fails at once.
 */
function makeDirectoryTree(dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  while (!existsSync(current)) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const level of missing) mkdirSync(level);
}

/** Parses a postgres:// URL; `?schema=NAME` selects (and creates) a schema via search_path. */
export function parsePostgresUrl(databaseUrl: string): {
  connectionString: string;
  schema?: string;
  safe: string;
} {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch (error) {
    throw new PatchcastError('STORE_INVALID_URL', 'PATCHCAST_DATABASE_URL is not a valid URL', {
      cause: error,
    });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new PatchcastError(
      'STORE_INVALID_URL',
      `PATCHCAST_DATABASE_URL has protocol ${url.protocol}; expected postgres:`,
    );
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new PatchcastError(
      'STORE_INVALID_URL',
      `schema ${JSON.stringify(schema)} in PATCHCAST_DATABASE_URL is not a plain identifier`,
    );
  }
  url.searchParams.delete('schema');
  const safeUrl = new URL(url.toString());
  if (safeUrl.password) safeUrl.password = '***';
  const parsed = { connectionString: url.toString(), safe: safeUrl.toString() };
  return schema ? { ...parsed, schema } : parsed;
}

async function openPostgres(databaseUrl: string): Promise<Store> {
  const { connectionString, schema, safe } = parsePostgresUrl(databaseUrl);
  // Loaded only for PostgreSQL: a SQLite command starts without the driver.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString,
    connectionTimeoutMillis: 5000,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('connect', installCopyHook);
  pool.on('error', () => {
    // An idle client lost its connection; the next query reconnects or reports.
  });
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`create schema if not exists "${schema}"`);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new PatchcastError('STORE_UNREACHABLE', `cannot reach PostgreSQL at ${safe}: ${messageOf(error)}`, {
      cause: error,
      details: { url: safe },
    });
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', location: safe, close: () => db.destroy() };
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  if (error instanceof Error)
    return error.message || ((error as NodeJS.ErrnoException).code ?? 'unknown error');
  return String(error);
}
