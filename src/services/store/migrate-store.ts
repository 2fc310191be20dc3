import {
  getLatestMigration,
  loadMigrationStatus as loadMigrationRows,
  type MigrationState,
  migrateToLatest,
  type StoreDialect,
} from '../../store/index.js';
import { authorize } from '../authz.js';
import { changeState } from '../change.js';
import type { ServiceDeps } from '../deps.js';

export interface StoreDescription {
  location: string;
  dialect: StoreDialect;
  latest: string;
}

/**
 * Applies pending migrations (`patchcast db migrate`); needs `admin`. When any applied, the store's
 * upgrade is audited as `store:migrate` (the audit table exists from the first migration on).
 */
export async function migrateStore(deps: ServiceDeps): Promise<StoreDescription & { applied: string[] }> {
  authorize(deps.actor, 'admin');
  const applied = await migrateToLatest(deps.store);
  if (applied.length > 0)
    await changeState(deps, 'admin', async () => ({
      result: {},
      audit: { action: 'store:migrate', data: { applied } },
    }));
  return { ...describeStore(deps), applied };
}

/** The schema version and each migration, applied or pending (`patchcast db status`). Needs `read`. */
export async function loadMigrationStatus(
  deps: ServiceDeps,
): Promise<StoreDescription & { pending: number; unknown: number; migrations: MigrationState[] }> {
  authorize(deps.actor, 'read');
  const migrations = await loadMigrationRows(deps.store);
  return {
    ...describeStore(deps),
    pending: migrations.filter((s) => s.appliedAt === null).length,
    unknown: migrations.filter((s) => s.unknown).length,
    migrations,
  };
}

function describeStore(deps: ServiceDeps): StoreDescription {
  return { location: deps.store.location, dialect: deps.store.dialect, latest: getLatestMigration() };
}
