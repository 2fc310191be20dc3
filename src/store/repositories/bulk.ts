import { CompiledQuery } from 'kysely';
import { type Db, isPostgres } from '../rows.js';

/** A column of a bulk insert: its name and its PostgreSQL type (`text`, `integer`, `real`). */
export interface BulkColumn {
  name: string;
  type: 'text' | 'integer' | 'real';
}

/** SQLite's default limit of bound parameters is 32,766; this stays under it. */
const SQLITE_PARAMETERS = 30_000;
const POSTGRES_ROWS = 10_000;

/**
 * Inserts many rows, each an array of values in `columns` order, with `suffix` appended (e.g. an
 * `on conflict` clause). Kysely's builder makes an object per value, which costs more than the
 * database's own work at millions of rows, so the SQL is written here: multi-row VALUES on SQLite,
 * one array parameter per column through `unnest` on PostgreSQL (a few parameters however many rows).
 */
export async function insertRows(
  db: Db,
  table: string,
  columns: readonly BulkColumn[],
  rows: ReadonlyArray<readonly unknown[]>,
  suffix = '',
): Promise<void> {
  const postgres = isPostgres(db);
  const size = postgres ? POSTGRES_ROWS : Math.max(1, Math.floor(SQLITE_PARAMETERS / columns.length));
  const names = columns.map((c) => c.name).join(', ');
  for (let i = 0; i < rows.length; i += size) {
    const batch = rows.slice(i, i + size);
    const query = postgres ? toUnnest(table, names, columns, batch) : toValues(table, names, columns, batch);
    await db.executeQuery(CompiledQuery.raw(`${query.sql} ${suffix}`, query.parameters));
  }
}

function toValues(
  table: string,
  names: string,
  columns: readonly BulkColumn[],
  batch: ReadonlyArray<readonly unknown[]>,
) {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const parameters: unknown[] = [];
  for (const row of batch) for (const value of row) parameters.push(value);
  return {
    sql: `insert into ${table} (${names}) values ${Array(batch.length).fill(tuple).join(', ')}`,
    parameters,
  };
}

function toUnnest(
  table: string,
  names: string,
  columns: readonly BulkColumn[],
  batch: ReadonlyArray<readonly unknown[]>,
) {
  const arrays = columns.map((_, c) => batch.map((row) => row[c] ?? null));
  const casts = columns.map((column, c) => `$${c + 1}::${column.type}[]`).join(', ');
  return { sql: `insert into ${table} (${names}) select * from unnest(${casts})`, parameters: arrays };
}
