import type { Config } from '../config/load.js';

/** A maintenance window as normalized config (durations in minutes). */
export type WindowConfig = Config['windows'][number];
/** A ring as normalized config (soak in minutes). */
export type RingConfig = Config['rings'][number];
/** A freeze from config: explicit dates, or an ICS file (already read: `icsText`). */
export type FreezeConfig = Config['freezes'][number] & { icsText?: string };

/** A concrete freeze interval (from YAML dates or an ICS VEVENT). */
export interface FreezeInterval {
  id: string;
  start: Date;
  end: Date;
  /** Window groups it applies to; absent means every group. */
  groups?: string[];
}

/** One occurrence of a maintenance window, after freezes. */
export interface Slot {
  id: string;
  windowId: string;
  /** Groups this occurrence still serves (a group-scoped freeze removes a group). */
  groups: string[];
  start: Date;
  end: Date;
  /** The last moment a job may start: end − cutoff. */
  lastStart: Date;
  /** Max hosts patched at once in this occurrence. */
  capacity: number;
  timezone: string;
}

/** An occurrence removed (for some or all groups) by a freeze — kept to explain plans. */
export interface FrozenOccurrence {
  windowId: string;
  start: Date;
  freezeId: string;
  groups: string[];
}

/** What the planner needs to know about an asset (the caller reads it from the store). */
export interface PlanAsset {
  id: string;
  windowGroup?: string;
  tags: string[];
  environment?: string;
  services: string[];
}

/** An open finding, reduced to what planning uses. */
export interface PlanFinding {
  id: string;
  assetId: string;
  packageName: string;
  targetVersion?: string;
  risk?: number;
  dueDate?: string;
  /** OSV ecosystem (orders versions when several findings need different targets). */
  ecosystem?: string;
  vulnerabilityId?: string;
  installedVersion?: string;
  /** Source package of the installed package (distributions): the patch it belongs to. */
  sourceName?: string;
  sourceVersion?: string;
}

/** Whether the reliability model gave a job's failure probability (see `PatchJob.failureSource`). */
export type FailureSource = 'model' | 'mixed' | 'default';

/** A patch a job applies (see src/matching/patches.ts): one source-package upgrade or dependency bump. */
export interface JobPatch {
  /** The patch id `patchcast patches` and `patchcast explain` use. */
  id: string;
  package: string;
  targetVersion?: string;
  binaries: string[];
  findingIds: string[];
}

/** One patch job: an asset touched once, installing all its fixes. */
export interface PatchJob {
  id: string;
  assetId: string;
  group: string;
  services: string[];
  packages: Array<{ name: string; targetVersion?: string }>;
  /** The patches it applies, riskiest first. */
  patches: JobPatch[];
  findingIds: string[];
  durationMinutes: number;
  reboot: boolean;
  /** Σ finding risk: exposure accrued per hour while unpatched. */
  riskRate: number;
  /** Earliest SLA due date over its findings. */
  dueDate?: Date;
  /** Probability the patch fails (0–1). */
  failureProbability: number;
  /**
   * Where that probability comes from: `model` when the patch-reliability model scored every patch,
   * `mixed` when it scored some (the default rate per package for the rest), else `default`.
   */
  failureSource: FailureSource;
}

/** A job placed in a ring (ring index 0 = first). */
export interface RingedJob extends PatchJob {
  ring: number;
}

/** Objective weights (units: risk-hours). */
export interface PlanWeights {
  /** Added once per job finishing after its SLA due date. */
  slaBreach: number;
  /** Added per job left out of the horizon (on top of its exposure to the horizon's end). */
  unscheduled: number;
  /** Added per rebooting job placed in a window opening on a weekday 08:00–18:00 local time. */
  disruption: number;
}

/** Everything a plan is computed from: pure data. */
export interface PlanProblem {
  now: Date;
  horizonEnd: Date;
  jobs: RingedJob[];
  rings: Array<{ id: string; soakMinutes: number }>;
  slots: Slot[];
  frozen: FrozenOccurrence[];
  /** Most members of each service that may be down in one window occurrence. */
  serviceLimits: Record<string, number>;
  /** [before, after] job ids. */
  dependencies: Array<[string, string]>;
  weights: PlanWeights;
  /** Optional cap on job-minutes per occurrence. */
  maxJobMinutesPerSlot?: number;
  /**
   * Per ring index: the end of the last occurrence used by its jobs that are no longer in `jobs`
   * (done and carried over on re-plan). The ring finishes no earlier, so its soak still holds.
   */
  carriedRingEnds?: Array<Date | undefined>;
}

/** A job's place in a schedule: slot index into problem.slots, or -1 when unscheduled. */
export type Placement = Int32Array;
