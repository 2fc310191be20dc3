/**
 * patchcast's use cases, one function each, `(deps, input)`: the programmatic API, and what the CLI
 * and the HTTP API call. Build `deps` once (store, config, clock, actor, logger); every service checks
 * the actor's permission, and every change is one transaction with its audit event (and the
 * server-sent event that announces it, whichever door made the change).
 */
export { listAssetPackages } from './assets/list-asset-packages.js';
export { type AssetList, type AssetListItem, listAssets } from './assets/list-assets.js';
export { loadAsset } from './assets/load-asset.js';
export { removeAsset } from './assets/remove-asset.js';
export { retireAsset } from './assets/retire-asset.js';
export { listAuditEvents } from './audit/list-audit-events.js';
export { verifyAuditLog } from './audit/verify-audit-log.js';
export { announce, type EventKind, loadEvents, loadNewestEventId } from './auth/events.js';
export { loadMe, type Me } from './auth/load-me.js';
export { authorize, can, type Permission, ROLES, type Role } from './authz.js';
export { type AuditRecord, type Changed, type ChangeEvent, changeState } from './change.js';
export {
  type Actor,
  type Clock,
  type Logger,
  type ServiceDeps,
  silentLogger,
  systemClock,
} from './deps.js';
export { type AddExceptionResult, addException } from './exceptions/add-exception.js';
export { approveExceptionRequest } from './exceptions/approve-exception-request.js';
export { type ExceptionListItem, type ExceptionState, listExceptions } from './exceptions/list-exceptions.js';
export {
  type ExceptionRequestInput,
  type RequestExceptionResult,
  requestException,
} from './exceptions/request-exception.js';
export { revokeException } from './exceptions/revoke-exception.js';
export { type ExplainCveInput, explainCve } from './findings/explain-cve.js';
export {
  type ExplainFindingInput,
  explainFinding,
  type FindingExplanation,
} from './findings/explain-finding.js';
export { type FindingList, type ListFindingsInput, listFindings } from './findings/list-findings.js';
export { type FindingQuery, SORTS, type SortKey } from './findings/load-finding-selection.js';
export { loadFindingsScan } from './findings/load-findings-scan.js';
export { loadVulnerability, type VulnerabilityWithForecast } from './findings/load-vulnerability.js';
export {
  type ImportInventoryInput,
  type ImportInventoryResult,
  type ImportSummary,
  importInventory,
} from './inventory/import-inventory.js';
export { loadAssetDrift } from './inventory/load-asset-drift.js';
export { setBaseline } from './inventory/set-baseline.js';
export { loadModelHistory } from './model/load-model-history.js';
export { loadModelStatus, loadScoreDrift } from './model/load-model-status.js';
export { type RetrainModelInput, retrainModel } from './model/retrain-model.js';
export { storeModelScores } from './model/store-model-scores.js';
export { explainPatch } from './patches/explain-patch.js';
export { listPatches } from './patches/list-patches.js';
export { type RunOptions, type RunSummary, runPipeline } from './pipeline/run-pipeline.js';
export { type ApprovedPlan, approvePlan } from './plan/approve-plan.js';
export { diffPlanAgainst, diffPlans, explainPlanJob, listPlans, loadPlan } from './plan/load-plan.js';
export { type MakePlanInput, makePlan } from './plan/make-plan.js';
export {
  abortRollout,
  approveRollout,
  pauseRollout,
  resumeRollout,
  retryJob,
  type StartedRollout,
  startRollout,
} from './rollout/control-rollout.js';
export { runControllerTick, type TickResult } from './rollout/controller.js';
export { type ExportInput, exportRollout } from './rollout/export-rollout.js';
export {
  beginApply,
  endJob,
  heartbeat,
  type LeasedJobWork,
  leaseWork,
  reportStep,
} from './rollout/job-reports.js';
export {
  loadJobDetail,
  loadRolloutStatus,
  type RolloutJobStatus,
  type RolloutStatusView,
  type RolloutWaveStatus,
} from './rollout/load-rollout-status.js';
export { type ControllerOptions, runController } from './rollout/run-controller.js';
export { scanInventories } from './scan/scan-inventories.js';
export { loadSlaReport, type SlaReportResult } from './sla/load-sla-report.js';
export { checkReadiness } from './store/check-readiness.js';
export { loadMigrationStatus, migrateStore, type StoreDescription } from './store/migrate-store.js';
export { loadSyncStatus, type SourceStatus } from './sync/load-sync-status.js';
export {
  type SourceReport,
  type SyncFeedsInput,
  type SyncFeedsResult,
  syncFeeds,
} from './sync/sync-feeds.js';
export { type SyncTrigger, triggerSync } from './sync/trigger-sync.js';
export { type ImportVexResult, importVex, type VexDocument } from './vex/import-vex.js';
export { listVex } from './vex/list-vex.js';
