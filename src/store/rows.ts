import type SQLite from 'better-sqlite3';
import { type DialectAdapter, type Kysely, PostgresAdapter } from 'kysely';
import type { Database } from './schema.js';

/** A Kysely handle on the store, or a transaction of it: every repository function takes one. */
export type Db = Kysely<Database>;

/** JSON column out: `undefined` and `null` become SQL NULL. */
export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** JSON column in. */
export function fromJson<T>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

/** `undefined` → NULL for optional columns. */
export function orNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

/** Drops null-valued keys so rows map onto optional domain fields. */
export function definedOnly<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== null && v !== undefined) out[key] = v;
  return out as { [K in keyof T]: Exclude<T[K], null> };
}

/** Splits rows into batches that stay under SQLite's and PostgreSQL's bound-parameter limits. */
export function* chunk<T>(rows: readonly T[], columns: number): Generator<T[]> {
  const size = Math.max(1, Math.floor(30_000 / Math.max(1, columns)));
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/**
 * Runs `query` on successive chunks of at most `size` distinct `keys` (IN-lists stay within both
 * backends' parameter limits) and concatenates the rows.
 */
export async function loadByKeys<T>(
  keys: readonly string[],
  size: number,
  query: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += size) out.push(...(await query(unique.slice(i, i + size))));
  return out;
}

export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** The current instant as stored: ISO-8601 UTC. */
export function nowIso(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}

const SQLITE_HANDLES = new WeakMap<DialectAdapter, SQLite.Database>();

/** Registers the better-sqlite3 handle behind a store's adapter (connect.ts). */
export function registerSqliteHandle(adapter: DialectAdapter, database: SQLite.Database): void {
  SQLITE_HANDLES.set(adapter, database);
}

/**
 * The better-sqlite3 handle of a SQLite store (or of a transaction on it: same adapter, same single
 * connection, so statements run on it belong to the open transaction). For the few loops where
 * Kysely's per-query cost dominates; undefined on PostgreSQL.
 */
export function getSqliteHandle(db: Db): SQLite.Database | undefined {
  return SQLITE_HANDLES.get(db.getExecutor().adapter);
}
