import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { PatchcastError } from '../core/errors.js';
import type { Store } from './connect.js';
import { MIGRATIONS, type MigrationContext } from './migrations/index.js';

export const MIGRATION_TABLE = 'patchcast_migrations';
const MIGRATION_LOCK_TABLE = 'patchcast_migrations_lock';

export interface MigrationState {
  name: string;
  /** ISO time it was applied, or null when pending. */
  appliedAt: string | null;
  /** True for a migration the database has but this patchcast does not know (a newer schema). */
  unknown: boolean;
}

async function makeMigrator(store: Store): Promise<Migrator> {
  const ctx: MigrationContext =
    store.dialect === 'postgres'
      ? { dialect: 'postgres', serial: 'bigserial', json: 'text' }
      : { dialect: 'sqlite', serial: 'integer', json: 'text' };
  const migrations: Record<string, Migration> = {};
  for (const migration of MIGRATIONS) {
    migrations[migration.name] = { up: (db: Kysely<unknown>) => migration.up(db, ctx) };
  }
  // Kysely looks for its tables in every schema unless told which; on a PostgreSQL database holding
  // other patchcast schemas it would then skip creating ours. Name the store's own schema.
  const schema = store.dialect === 'postgres' ? await getCurrentSchema(store) : undefined;
  return new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    // 0007 landed after 0008 and 0009 had been applied to some stores; each migration only adds its
    // own tables and columns, so running a late lower-numbered one is safe.
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

async function getCurrentSchema(store: Store): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
  return rows[0]?.schema;
}

/** Applied and pending migrations, and any applied migration this version does not know. */
export async function loadMigrationStatus(store: Store): Promise<MigrationState[]> {
  const applied = await loadAppliedMigrations(store);
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const states: MigrationState[] = MIGRATIONS.map((m) => ({
    name: m.name,
    appliedAt: applied.get(m.name) ?? null,
    unknown: false,
  }));
  for (const [name, appliedAt] of applied) {
    if (!known.has(name)) states.push({ name, appliedAt, unknown: true });
  }
  return states;
}

/**
 * The tables of the store's own schema. PostgreSQL's introspection lists every schema of the
 * database, so other tenants' tables (another `?schema=`) are filtered out by `current_schema()`.
 */
export async function listStoreTables(store: Store): Promise<Array<{ name: string; columns: string[] }>> {
  const tables = await store.db.introspection.getTables();
  const current = store.dialect === 'postgres' ? await getCurrentSchema(store) : undefined;
  return tables
    .filter((t) => current === undefined || t.schema === current)
    .map((t) => ({ name: t.name, columns: t.columns.map((c) => c.name) }));
}

async function loadAppliedMigrations(store: Store): Promise<Map<string, string>> {
  const tables = await listStoreTables(store);
  if (!tables.some((t) => t.name === MIGRATION_TABLE)) {
    assertEmptyOrOurs(
      store,
      tables.map((t) => t.name),
    );
    return new Map();
  }
  const rows = await sql<{
    name: string;
    timestamp: string | Date;
  }>`select name, timestamp from ${sql.table(MIGRATION_TABLE)} order by name`.execute(store.db);
  return new Map(rows.rows.map((r) => [r.name, new Date(r.timestamp).toISOString()]));
}

/** A database with tables but without our migration table belongs to someone else: never touch it. */
function assertEmptyOrOurs(store: Store, tables: string[]): void {
  const foreign = tables.filter((t) => t !== MIGRATION_LOCK_TABLE);
  if (foreign.length === 0) return;
  throw new PatchcastError(
    'STORE_NOT_SQLITE',
    `${store.location} holds tables (${foreign.slice(0, 3).join(', ')}…) but is not a patchcast database`,
    { hint: 'Point patchcast at an empty database or schema (PATCHCAST_HOME, or ?schema=NAME in the URL).' },
  );
}

/** Fails with STORE_SCHEMA_TOO_NEW when the database was migrated by a newer patchcast. */
export async function assertSchemaKnown(store: Store): Promise<MigrationState[]> {
  const states = await loadMigrationStatus(store);
  const unknown = states.filter((s) => s.unknown).map((s) => s.name);
  if (unknown.length > 0) {
    throw new PatchcastError(
      'STORE_SCHEMA_TOO_NEW',
      `${store.location} has migrations this patchcast does not know: ${unknown.join(', ')}`,
      { details: { unknown } },
    );
  }
  return states;
}

/** Applies every pending migration in one transaction; returns the names applied. */
export async function migrateToLatest(store: Store): Promise<string[]> {
  const states = await assertSchemaKnown(store);
  if (states.every((s) => s.appliedAt !== null)) return [];
  const { error, results } = await (await makeMigrator(store)).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const message = error instanceof Error ? error.message : String(error);
    throw new PatchcastError(
      'STORE_MIGRATION_FAILED',
      `migration ${failed} failed on ${store.location}: ${message}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies migrations up to and including `name` (for tests of upgrades and for tooling). */
export async function migrateTo(store: Store, name: string): Promise<void> {
  await assertSchemaKnown(store);
  const { error } = await (await makeMigrator(store)).migrateTo(name);
  if (error)
    throw new PatchcastError('STORE_MIGRATION_FAILED', `migration to ${name} failed: ${String(error)}`, {
      cause: error,
    });
}

/** The newest migration this version of patchcast knows. */
export function getLatestMigration(): string {
  return MIGRATIONS[MIGRATIONS.length - 1]?.name ?? '';
}
