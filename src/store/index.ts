export type { Store, StoreDialect, StoreOptions } from './connect.js';
export { getStoreSettings, openStore, parsePostgresUrl, SQLITE_FILE } from './connect.js';
export type { MigrationState } from './migrate.js';
export {
  assertSchemaKnown,
  getLatestMigration,
  loadMigrationStatus,
  MIGRATION_TABLE,
  migrateTo,
  migrateToLatest,
} from './migrate.js';
export * from './repositories/advisories.js';
export * from './repositories/api-auth.js';
export * from './repositories/asset-lifecycle.js';
export * from './repositories/assets.js';
export * from './repositories/audit.js';
export * from './repositories/coverage.js';
export * from './repositories/debian-advisories.js';
export * from './repositories/events.js';
export * from './repositories/exception-coverage.js';
export * from './repositories/exceptions.js';
export * from './repositories/exploit-scores.js';
export * from './repositories/feed-records.js';
export * from './repositories/feed-state.js';
export * from './repositories/finding-batches.js';
export * from './repositories/finding-diff.js';
export * from './repositories/finding-history.js';
export * from './repositories/finding-keys.js';
export * from './repositories/finding-matches.js';
export * from './repositories/finding-risk.js';
export * from './repositories/findings.js';
export * from './repositories/findings-page.js';
export * from './repositories/history-cve-rows.js';
export * from './repositories/history-rows.js';
export * from './repositories/jobs.js';
export * from './repositories/match-fanout.js';
export * from './repositories/match-state.js';
export * from './repositories/match-sync.js';
export * from './repositories/model-registry.js';
export * from './repositories/models.js';
export * from './repositories/package-sources.js';
export * from './repositories/patch-posteriors.js';
export * from './repositories/pipeline-steps.js';
export * from './repositories/plans.js';
export * from './repositories/risk.js';
export * from './repositories/rollouts.js';
export * from './repositories/signals.js';
export * from './repositories/snapshots.js';
export * from './repositories/vex.js';
export * from './repositories/vex-candidates.js';
export * from './repositories/vulnerabilities.js';
export type { Db } from './rows.js';
export type { Database } from './schema.js';
