import type { Kysely } from 'kysely';

/** The dialect-specific column types a migration needs; the rest is portable Kysely schema builder. */
export interface MigrationContext {
  dialect: 'sqlite' | 'postgres';
  /** Auto-incrementing integer key: `integer` (SQLite rowid alias) or `bigserial`. */
  serial: 'integer' | 'bigserial';
  /** JSON documents are stored as text on both backends. */
  json: 'text';
}

export interface PatchcastMigration {
  /** Zero-padded, ordered: `0001-initial`. */
  name: string;
  up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void>;
}
