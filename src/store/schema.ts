import type { Generated } from 'kysely';

/**
 * Row types of the store, as Kysely sees them. Dates are ISO-8601 UTC text; JSON columns hold text
 * that the repositories parse; booleans are 0/1.
 */
export interface VulnerabilitiesTable {
  id: string;
  source: string;
  summary: string | null;
  details: string | null;
  severity: string | null;
  cvss_score: number | null;
  cvss_vector: string | null;
  cvss: string | null;
  cwes: string | null;
  refs: string | null;
  published: string | null;
  modified: string | null;
  withdrawn: string | null;
  record: string | null;
}

export interface VulnerabilityAliasesTable {
  vulnerability_id: string;
  alias: string;
}

export interface AffectedPackagesTable {
  id: Generated<number>;
  vulnerability_id: string;
  ecosystem: string;
  name: string;
  ecosystem_base: string | null;
  lookup_name: string | null;
  source: string | null;
  purl: string | null;
  ranges: string | null;
  versions: string | null;
  fixed_versions: string | null;
  data: string | null;
}

export interface KevEntriesTable {
  cve_id: string;
  vendor: string | null;
  product: string | null;
  name: string | null;
  date_added: string;
  due_date: string | null;
  ransomware: number;
  required_action: string | null;
  notes: string | null;
  removed_at: string | null;
}

export interface EpssScoresTable {
  cve_id: string;
  score_date: string;
  score: number;
  percentile: number | null;
  model_version: string | null;
}

export interface ExploitSightingsTable {
  id: Generated<number>;
  cve_id: string;
  source: string;
  url: string;
  seen_at: string;
  maturity: string | null;
  data: string | null;
}

export interface SsvcDecisionsTable {
  cve_id: string;
  decided_at: string;
  exploitation: string | null;
  automatable: string | null;
  technical_impact: string | null;
  source: string;
}

export interface AssetsTable {
  id: string;
  name: string;
  kind: string;
  environment: string | null;
  criticality: string | null;
  internet_exposed: number;
  data_classification: string | null;
  owner: string | null;
  services: string | null;
  tags: string | null;
  window_group: string | null;
  os_ecosystem: string | null;
  config_hashes?: string | null;
  created_at: string;
  updated_at: string;
}

export interface AssetImportsTable {
  id: Generated<number>;
  asset_id: string;
  source: string;
  format: string;
  digest: string | null;
  package_count: number;
  imported_at: string;
}

export interface AssetPackagesTable {
  asset_id: string;
  ecosystem: string;
  name: string;
  version: string;
  purl: string | null;
  source_name: string | null;
  source_version: string | null;
  import_id: number | null;
  /** A running process maps the package's files: 1, 0, or null when the inventory did not say (0019). */
  in_use: number | null;
}

/**
 * Per asset: the asset, what the finding is about, which match found it, and its own state
 * (migrations 0009–0011). Keyed by (asset_id, subject_id).
 */
export interface FindingsTable {
  asset_id: string;
  subject_id: number;
  /** Only an id that is not the derived one (asset token + subject id, `getFindingId`); else null. */
  id: string | null;
  match_id: number;
  status: string;
  suppression: string | null;
  risk: number | null;
  due_date: string | null;
  /** Null when first seen at its asset's first match (`asset_match_state.first_matched_at`). */
  first_seen: string | null;
  /** Null until the finding is seen apart from its asset's whole matches (`asset_match_state.matched_at`). */
  last_seen: string | null;
  resolved_at: string | null;
}

/** What a finding is about: a vulnerability of a package name (migration 0009). */
export interface FindingSubjectsTable {
  id: Generated<number>;
  vulnerability_id: string;
  ecosystem: string;
  package_name: string;
}

/** What one package version and one vulnerability decide, stored once for every asset (migration 0009). */
export interface FindingMatchesTable {
  id: Generated<number>;
  subject_id: number;
  installed_version: string;
  fixed_versions: string | null;
  target_version: string | null;
  /** 1 while the latest evaluation of the package version still reports it. */
  current: Generated<number>;
}

/** Per asset: its finding-id token, the inventory import last matched, when, and its live findings (migration 0009). */
export interface AssetMatchStateTable {
  asset_id: string;
  token: number;
  import_id: number | null;
  matched_at: string | null;
  findings: Generated<number>;
  /** When the asset's findings were first written, the first seen of those without their own (0011). */
  first_matched_at: string | null;
}

/** One row: the last asset token given, so that none is given twice (migration 0012). */
export interface FindingTokensTable {
  last: number;
}

/** A step after matching that a pass still owes (migration 0013); `scope` JSON asset ids, NULL = all. */
export interface PipelineStepsTable {
  step: string;
  scope: string | null;
  pass: string;
  owed_since: string;
}

/** Debian DSA/DLA advisories, the patch-reliability model's history (migration 0014). */
export interface DebianAdvisoriesTable {
  id: string;
  family: string;
  number: number;
  revision: number;
  published: string;
  package: string;
  title: string;
  /** JSON array of CVE ids. */
  cves: string;
  /** JSON array of `{release, package, version}`. */
  fixed: string;
  is_regression_update: number;
  followed_by_regression: number;
  regression_published: string | null;
  /** Line of the advisory in the synced file: the order of advisories of the same day. */
  position: number;
}

/** Package names of advisories written since the last match (migration 0009). */
export interface PendingMatchKeysTable {
  ecosystem_base: string;
  lookup_name: string;
}

export interface ExceptionsTable {
  id: string;
  scope: string;
  vulnerability_id: string | null;
  asset_id: string | null;
  package_name: string | null;
  finding_id: string | null;
  owner: string;
  reason: string;
  approver: string | null;
  compensating_control: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface PlansTable {
  id: string;
  status: string;
  created_at: string;
  horizon_end: string | null;
  objective: number | null;
  bound: number | null;
  gap: number | null;
  data: string | null;
  method: string | null;
  solve_seconds: number | null;
  job_count: number | null;
  unscheduled_count: number | null;
  previous_id: string | null;
}

export interface WavesTable {
  id: string;
  plan_id: string;
  ring: string;
  position: number;
  status: string;
  starts_at: string | null;
  ends_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  soak_until: string | null;
  halt_reason: string | null;
}

export interface PatchPosteriorsTable {
  patch_key: string;
  prior: number;
  pseudo_count: number;
  alpha: number;
  beta: number;
  counts: string;
  updated_at: string;
}

export interface RolloutsTable {
  plan_id: string;
  status: string;
  started_by: string;
  started_at: string;
  updated_at: string;
  reason: string | null;
}

export interface JobsTable {
  id: string;
  plan_id: string | null;
  wave_id: string | null;
  asset_id: string;
  status: string;
  payload: string | null;
  not_before: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  attempts: Generated<number>;
  created_at: string;
  updated_at: string;
  slot_id: string | null;
  not_after: string | null;
  lease_token: Generated<number>;
  step: string | null;
  executor: string | null;
  heartbeat_at: string | null;
  next_attempt_at: string | null;
  last_error: string | null;
  started_at: string | null;
  finished_at: string | null;
  previous_versions: string | null;
}

export interface JobEventsTable {
  id: Generated<number>;
  job_id: string;
  at: string;
  kind: string;
  data: string | null;
}

export interface AuditEventsTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  data: string | null;
  prev_hash: string;
  hash: string;
}

export interface ModelArtifactsTable {
  id: string;
  kind: string;
  version: string;
  created_at: string;
  trained_until: string | null;
  metrics: string | null;
  artifact: string | null;
  active: number;
  /** When it became the active model (migration 0007). */
  promoted_at: string | null;
}

export interface FeedStateTable {
  source: string;
  etag: string | null;
  last_modified: string | null;
  cursor: string | null;
  records: number;
  newest: string | null;
  last_sync: string | null;
  outcome: string | null;
  message: string | null;
}

export interface VexStatementsTable {
  id: Generated<number>;
  vulnerability_id: string;
  products: string;
  status: string;
  justification: string | null;
  detail: string | null;
  source: string;
  issued_at: string | null;
  imported_at: string;
}

export interface AssetSnapshotsTable {
  id: Generated<number>;
  asset_id: string;
  kind: string;
  taken_at: string;
  packages: string;
  config_hashes: string | null;
}

/** One finding's state from `day` until the day before `until` (migration 0020; 0005's daily rows converted). */
export interface FindingHistoryTable {
  finding_id: string;
  day: string;
  /** The first day this state no longer holds; null while it is the finding's current state. */
  until: string | null;
  asset_id: string;
  vulnerability_id: string;
  status: string;
  risk: number | null;
  due_date: string | null;
  /** 1: the due date moves a day with each day (an exception stops the clock). */
  due_moves: Generated<number>;
  /** `running` (on-track, due-soon or breached, derived for the day asked), else as recorded. */
  sla_state: string;
  sla_rule: string | null;
  warn_days: number | null;
  exception_id: string | null;
  /** Listed in CISA KEV on the days from this one (within the interval); null: not listed. */
  kev_since: string | null;
}

/** A CVE's exploit score, written only on the days it changed (migration 0007). */
export interface ExploitScoresTable {
  day: string;
  cve: string;
  model_version: string;
  /** NULL: the CVE left the scored population that day (listed in KEV). */
  probability: number | null;
  percentile: number | null;
}

/** The distribution of one scored day (migration 0007). */
export interface ExploitScoreDaysTable {
  day: string;
  model_version: string;
  horizon_days: number;
  scored: number;
  stored: number;
  mean: number;
  share_above: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  expected_kev: number;
  top_decile_threshold: number;
  top_decile_churn: number | null;
  previous_day: string | null;
  created_at: string;
}

/** One champion/challenger comparison (migration 0007). */
export interface ModelEvaluationsTable {
  id: Generated<number>;
  kind: string;
  evaluated_at: string;
  as_of: string;
  challenger_id: string;
  current_id: string | null;
  decision: string;
  rule: string;
  reason: string;
  metrics: string | null;
}

/** API bearer tokens, hashed (migration 0015). */
export interface ApiTokensTable {
  id: string;
  name: string;
  role: string;
  hash: string;
  created_at: string;
  created_by: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Agent enrollment tokens, hashed, with a use count (migration 0015). */
export interface EnrollTokensTable {
  id: string;
  hash: string;
  created_at: string;
  created_by: string;
  expires_at: string;
  uses_left: number;
  revoked_at: string | null;
}

/** Enrolled agents, each bound to one asset, with a hashed credential (migration 0015). */
export interface AgentsTable {
  id: string;
  asset_id: string;
  hostname: string;
  hash: string;
  enroll_token_id: string;
  enrolled_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

/** Append-only change events for server-sent events (migration 0016). */
export interface EventsTable {
  id: number;
  at: string;
  kind: string;
  subject: string | null;
  data: string | null;
}

export interface Database {
  api_tokens: ApiTokensTable;
  enroll_tokens: EnrollTokensTable;
  agents: AgentsTable;
  events: EventsTable;
  vulnerabilities: VulnerabilitiesTable;
  vulnerability_aliases: VulnerabilityAliasesTable;
  affected_packages: AffectedPackagesTable;
  kev_entries: KevEntriesTable;
  epss_scores: EpssScoresTable;
  exploit_sightings: ExploitSightingsTable;
  ssvc_decisions: SsvcDecisionsTable;
  assets: AssetsTable;
  asset_imports: AssetImportsTable;
  asset_packages: AssetPackagesTable;
  findings: FindingsTable;
  finding_subjects: FindingSubjectsTable;
  finding_matches: FindingMatchesTable;
  asset_match_state: AssetMatchStateTable;
  finding_tokens: FindingTokensTable;
  pending_match_keys: PendingMatchKeysTable;
  pipeline_steps: PipelineStepsTable;
  debian_advisories: DebianAdvisoriesTable;
  exceptions: ExceptionsTable;
  plans: PlansTable;
  waves: WavesTable;
  jobs: JobsTable;
  job_events: JobEventsTable;
  rollouts: RolloutsTable;
  patch_posteriors: PatchPosteriorsTable;
  audit_events: AuditEventsTable;
  model_artifacts: ModelArtifactsTable;
  exploit_scores: ExploitScoresTable;
  exploit_score_days: ExploitScoreDaysTable;
  model_evaluations: ModelEvaluationsTable;
  feed_state: FeedStateTable;
  vex_statements: VexStatementsTable;
  asset_snapshots: AssetSnapshotsTable;
  finding_history: FindingHistoryTable;
}
