import type { FieldProvenance } from './provenance.js';

/**
 * patchcast's domain model. Pure data, no I/O. Dates are ISO-8601 strings: `YYYY-MM-DD` for days,
 * full UTC timestamps for instants.
 */

/** A vulnerability record (OSV, CVE, GHSA, DSA…) with what prioritization needs of it. */
export interface Vulnerability {
  id: string;
  /** Feed that supplied it: `osv`, `cve`, `nvd`, … */
  source: string;
  aliases: string[];
  summary?: string;
  details?: string;
  /** Qualitative severity as published: CRITICAL, HIGH, MEDIUM, LOW. */
  severity?: string;
  cvssScore?: number;
  cvssVector?: string;
  /** Every CVSS version present: `{ version: '3.1', vector, score }`. */
  cvss?: CvssMetric[];
  cwes?: string[];
  references?: Reference[];
  published?: string;
  modified?: string;
  withdrawn?: string;
  affected?: AffectedPackage[];
  /** Where fields came from, where the feed knows (the exploit model drops label-caused ones). */
  provenance?: FieldProvenance;
}

export interface CvssMetric {
  version: string;
  vector: string;
  score?: number;
}

export interface Reference {
  url: string;
  tags?: string[];
}

/** One `affected[]` entry: a package and the OSV ranges/versions that are vulnerable. */
export interface AffectedPackage {
  ecosystem: string;
  name: string;
  purl?: string;
  ranges?: OsvRange[];
  versions?: string[];
  /** Every `fixed` event, for the target-version choice. */
  fixedVersions?: string[];
}

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT';
  repo?: string;
  events: OsvEvent[];
}

export type OsvEvent =
  | { introduced: string }
  | { fixed: string }
  | { last_affected: string }
  | { limit: string };

/** A CISA KEV listing. */
export interface KevEntry {
  cveId: string;
  vendor?: string;
  product?: string;
  name?: string;
  dateAdded: string;
  dueDate?: string;
  ransomware: boolean;
  requiredAction?: string;
  notes?: string;
  removedAt?: string;
}

/** An EPSS score as published on one day. */
export interface EpssScore {
  cveId: string;
  scoreDate: string;
  score: number;
  percentile?: number;
  modelVersion?: string;
}

export type ExploitMaturity = 'poc' | 'weaponized' | 'active';

/** Public exploit code or exploitation evidence seen for a CVE, dated. */
export interface ExploitSighting {
  cveId: string;
  /** `exploitdb`, `metasploit`, `nuclei`, `github-poc`, `stix`, … */
  source: string;
  url: string;
  seenAt: string;
  maturity?: ExploitMaturity;
  data?: Record<string, unknown>;
}

/** One fixed-package line of a Debian advisory: the version that fixes it in one Debian release. */
export interface DebianFixedPackage {
  release: string;
  package: string;
  /** A Debian version, or a marker such as `<not-affected>`, `<unfixed>`, `<end-of-life>`. */
  version: string;
}

/**
 * A Debian security advisory (DSA, or DLA for LTS) with its regression-update links, as the
 * `debian-advisories` feed reads it and the store keeps it; the patch-reliability model's history.
 */
export interface DebianAdvisory {
  /** `DSA-5257-1`. */
  id: string;
  family: 'DSA' | 'DLA';
  number: number;
  revision: number;
  /** `YYYY-MM-DD`. */
  published: string;
  /** Source package the advisory is about. */
  package: string;
  title: string;
  /** CVE ids, each once, in the advisory's order. */
  cves: string[];
  fixed: DebianFixedPackage[];
  /** The advisory itself announces a fix for a regression. */
  isRegressionUpdate: boolean;
  /** A later revision of this advisory fixed a regression it caused (a label, known from `regressionPublished`). */
  followedByRegression: boolean;
  /** `YYYY-MM-DD` the regression update came out, when there was one and its date is known. */
  regressionPublished?: string;
}

/** CISA SSVC decision points (Vulnrichment) for a CVE on a date. */
export interface SsvcDecision {
  cveId: string;
  decidedAt: string;
  exploitation?: 'none' | 'poc' | 'active';
  automatable?: 'yes' | 'no';
  technicalImpact?: 'partial' | 'total';
  source: string;
}

export type AssetKind = 'host' | 'container-image' | 'k8s-workload' | 'cloud-resource' | 'application';
export type Criticality = 'low' | 'medium' | 'high' | 'critical';

export interface Asset {
  id: string;
  name: string;
  kind: AssetKind;
  environment?: string;
  criticality?: Criticality;
  internetExposed: boolean;
  dataClassification?: string;
  owner?: string;
  services: string[];
  tags: string[];
  windowGroup?: string;
  /** The OSV ecosystem of the asset's OS packages, e.g. `Debian:12`. */
  osEcosystem?: string;
  createdAt: string;
  updatedAt: string;
}

/** A package installed on an asset, named as its ecosystem names it. */
export interface InstalledPackage {
  ecosystem: string;
  name: string;
  version: string;
  purl?: string;
  /** Source package, for distributions whose advisories are per source package (Debian, Ubuntu). */
  sourceName?: string;
  sourceVersion?: string;
  /**
   * Whether a running process maps the package's files (libraries, the programs themselves), as the
   * host's agent last saw it; absent when nobody looked (other inventory formats, an agent not root).
   */
  inUse?: boolean;
}

/** `retired`: closed because its asset was retired (`patchcast assets retire`), not because it was fixed. */
export type FindingStatus = 'open' | 'suppressed' | 'excepted' | 'fixed' | 'retired';

export interface Finding {
  id: string;
  assetId: string;
  vulnerabilityId: string;
  ecosystem: string;
  packageName: string;
  installedVersion: string;
  fixedVersions: string[];
  targetVersion?: string;
  status: FindingStatus;
  /** Why a finding is suppressed (VEX) or excepted; never dropped silently. */
  suppression?: { kind: 'vex' | 'exception'; justification: string; ref?: string };
  risk?: number;
  dueDate?: string;
  firstSeen: string;
  lastSeen: string;
  resolvedAt?: string;
}

export type ExceptionScope = 'finding' | 'vulnerability' | 'package' | 'asset';

/** A risk acceptance: visible, counted, and lapsing at expiry. */
export interface RiskException {
  id: string;
  scope: ExceptionScope;
  vulnerabilityId?: string;
  assetId?: string;
  packageName?: string;
  findingId?: string;
  owner: string;
  reason: string;
  approver?: string;
  compensatingControl?: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
}

export type PlanStatus = 'draft' | 'approved' | 'running' | 'done' | 'superseded';

export interface Plan {
  id: string;
  status: PlanStatus;
  createdAt: string;
  horizonEnd?: string;
  objective?: number;
  bound?: number;
  gap?: number;
  data?: Record<string, unknown>;
  /** How it was solved: `milp` or `greedy`. */
  method?: string;
  solveSeconds?: number;
  /** Jobs placed in a window occurrence, and jobs left out of the horizon. */
  jobCount?: number;
  unscheduledCount?: number;
  /** The plan this one re-planned (and superseded). */
  previousId?: string;
}

/** `awaiting-approval`: the ring needs an approver before it starts. */
export type WaveStatus =
  | 'pending'
  | 'awaiting-approval'
  | 'running'
  | 'soaking'
  | 'promoted'
  | 'halted'
  | 'done'
  | 'aborted';

export interface Wave {
  id: string;
  planId: string;
  ring: string;
  position: number;
  status: WaveStatus;
  startsAt?: string;
  endsAt?: string;
  approvedBy?: string;
  approvedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  soakUntil?: string;
  haltReason?: string;
}

/**
 * `pending`: planned; `ready`: the rollout controller released it (its wave runs, a concurrency slot is
 * free), so a worker or its host's agent may lease it; `leased`: a worker holds it and runs its steps;
 * `missed`: its window closed before it could start, so it went back to the planner.
 */
export type JobStatus =
  | 'pending'
  | 'ready'
  | 'leased'
  | 'succeeded'
  | 'failed'
  | 'rolled-back'
  | 'cancelled'
  | 'missed';

/** One asset's bundle of patches in one window: the unit a worker or agent leases and runs. */
export interface Job {
  id: string;
  planId?: string;
  waveId?: string;
  assetId: string;
  status: JobStatus;
  payload?: Record<string, unknown>;
  notBefore?: string;
  /** The last moment the job may start: its window occurrence's cutoff. */
  notAfter?: string;
  /** The window occurrence the plan put it in. */
  slotId?: string;
  leaseOwner?: string;
  leaseExpiresAt?: string;
  attempts: number;
  /** Bumped at every lease; a step report must carry the current one (fencing). */
  leaseToken: number;
  /** The step in progress or last run. */
  step?: string;
  /** Who runs it, set when the controller releases it: `agent`, `local`, `ssh` or `dry-run`. */
  executor?: string;
  heartbeatAt?: string;
  /** A retried job is not leased again before this (backoff). */
  nextAttemptAt?: string;
  lastError?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Installed versions of the job's packages recorded before apply: the rollback target. */
  previousVersions?: Array<{ name: string; version: string | null }>;
  createdAt: string;
  updatedAt: string;
}

export interface JobEvent {
  jobId: string;
  at: string;
  kind: string;
  data?: Record<string, unknown>;
}

/** One link of the hash-chained audit log. */
export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject?: string;
  data?: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface ModelArtifact {
  id: string;
  kind: string;
  version: string;
  createdAt: string;
  trainedUntil?: string;
  metrics?: Record<string, unknown>;
  artifact: unknown;
  active: boolean;
}

export type SyncOutcome = 'ok' | 'unchanged' | 'failed';

/** Per-source sync state: conditional-request validators, cursor and the last outcome. */
export interface FeedState {
  source: string;
  etag?: string;
  lastModified?: string;
  cursor?: string;
  records: number;
  newest?: string;
  lastSync?: string;
  outcome?: SyncOutcome;
  message?: string;
}
