/**
 * The risk contract: what scoring knows about a finding (pure data, gathered by the caller), and what
 * it returns. `score/` computes risk and SSVC; `sla/` computes due dates and SLA states; `exceptions/`
 * decides which risk acceptances cover a finding. All pure: data and a clock in, data out.
 */
import type { Asset, Finding, RiskException } from '../core/types.js';

/** Everything known about a finding's vulnerability as of the scoring date. */
export interface VulnerabilityContext {
  /** The CVE the finding stands for, when known. */
  cve?: string;
  /** Exploit probability from the exploit model within its horizon, when scored. */
  modelProbability?: number;
  /** The exploit model's horizon in days (the event is a CISA KEV listing within it), with `modelProbability`. */
  modelHorizonDays?: number;
  /** The day the exploit model scored (`YYYY-MM-DD`), with `modelProbability`. */
  modelAsOf?: string;
  /**
   * `modelProbability` on EPSS's scale: the EPSS score found at the CVE's model rank among the day's
   * population (src/predict/epss-scale.ts); absent when the day had too few EPSS scores.
   */
  modelOnEpssScale?: number;
  /** EPSS as of the scoring date, when synced. */
  epss?: { score: number; percentile?: number; date: string };
  cvssScore?: number;
  cvssVector?: string;
  /** Qualitative severity as published (critical/high/medium/low). */
  severity?: string;
  kev?: { dateAdded: string; dueDate?: string; ransomware: boolean };
  /** When the advisory was published (ISO), when known: PCI DSS 6.3.3 counts from the fix's release. */
  published?: string;
  /** The most mature public exploit evidence seen by the scoring date. */
  exploitMaturity: 'none' | 'poc' | 'weaponized' | 'active';
  /** Sources of that evidence, e.g. metasploit, exploitdb, github-poc, with the date first seen. */
  exploitSignals: Array<{ source: string; seenAt: string; maturity?: 'poc' | 'weaponized' | 'active' }>;
  /** CISA SSVC decision points (Vulnrichment), when present. */
  ssvc?: {
    exploitation?: 'none' | 'poc' | 'active';
    automatable?: 'yes' | 'no';
    technicalImpact?: 'partial' | 'total';
  };
}

/** A finding with its vulnerability and asset context: the input of scoring and SLA. */
export interface FindingContext {
  finding: Finding;
  asset: Asset;
  vulnerability: VulnerabilityContext;
  /** Asset drift relevant to this finding (packages changed since baseline), when known. */
  drift?: { changedPackages: number };
  /**
   * Whether a running process maps the finding's package's files on its asset (the agent's report);
   * absent when unknown.
   */
  inUse?: boolean;
  /** Compensating controls recorded for this asset or finding (from exceptions), free text. */
  compensatingControls?: string[];
}

/** One named, signed part of a score; the parts of a score add up to it. */
export interface Contribution {
  /** Machine name, e.g. `kev`, `internet-exposure`. */
  factor: string;
  value: number;
  /** Plain words, e.g. "listed in CISA KEV since 2026-01-12". */
  text: string;
}

export type SsvcDecision = 'Track' | 'Track*' | 'Attend' | 'Act';

/** Where a finding's exploit probability came from. */
export type ExploitSource = 'model' | 'epss' | 'cvss-prior';

/** The exploit probability a risk used, and EPSS beside it. */
export interface ExploitEstimate {
  probability: number;
  source: ExploitSource;
  /** The window the probability is about (the model's horizon; 30 days for EPSS and the prior). */
  horizonDays: number;
  /** The day the probability is as of (`YYYY-MM-DD`). */
  asOf: string;
  /** EPSS as of the scoring day, shown beside whatever was used. */
  epss: { score: number; date: string } | null;
  /**
   * The exploit model's own probability of a KEV listing (CVEs in its population) and the same rank
   * on EPSS's scale (null without a scale), shown beside whatever was used.
   */
  model: { probability: number; onEpssScale: number | null; asOf: string } | null;
}

export interface RiskScore {
  /** In [0, 1]; the sum of the contributions. */
  risk: number;
  contributions: Contribution[];
  exploit: ExploitEstimate;
  ssvc: {
    decision: SsvcDecision;
    exploitation: 'none' | 'poc' | 'active';
    automatable: 'yes' | 'no';
    technicalImpact: 'partial' | 'total';
    missionWellbeing: 'low' | 'medium' | 'high';
  };
}

export type SlaState = 'on-track' | 'due-soon' | 'breached' | 'paused' | 'closed';

export interface SlaResult {
  /** ISO day the finding is due, or null when the rule says "next upgrade". */
  dueDate: string | null;
  state: SlaState;
  /** The id of the config rule that set it, and why it matched. */
  rule: string;
  reason: string;
  /** The exception that pauses or changes the clock, if any. */
  exceptionId?: string;
}

export type { Asset, Finding, RiskException };
