import { type JobOptions, makeJobs } from './jobs.js';
import { assignRings, DEFAULT_RINGS, getRingSoaks, placeJobsInRings } from './rings.js';
import type {
  FreezeConfig,
  PlanAsset,
  PlanFinding,
  PlanProblem,
  PlanWeights,
  RingConfig,
  Slot,
  WindowConfig,
} from './types.js';
import { DEFAULT_WINDOW, expandWindows, getFreezeIntervals } from './windows.js';

/** What a plan is made from; the caller gathers it (store, config, clock). */
export interface PlanInput {
  now: Date;
  horizonDays: number;
  assets: PlanAsset[];
  findings: PlanFinding[];
  windows: WindowConfig[];
  freezes: FreezeConfig[];
  rings: Array<Pick<RingConfig, 'id' | 'select' | 'soakMinutes'>>;
  /** [before, after] asset ids: patch `before` first (e.g. database tier before application tier). */
  dependencies?: Array<[string, string]>;
  /** Most members of a service down at once, by service name. */
  serviceLimits?: Record<string, number>;
}

/** Planner settings; every field has a default. */
export interface PlanOptions extends JobOptions {
  weights?: Partial<PlanWeights>;
  /** Max concurrent hosts of a window that does not set maxConcurrentHosts. */
  defaultCapacity?: number;
  maxJobMinutesPerSlot?: number;
  /** Share of a service's members that may be down at once when no limit is given (at least 1). */
  serviceDownFraction?: number;
  /** A patch whose failure probability exceeds this is risky: its ring soaks longer. */
  riskyThreshold?: number;
  riskySoakFactor?: number;
}

export const DEFAULT_WEIGHTS: PlanWeights = { slaBreach: 50, unscheduled: 100, disruption: 1 };

/** Builds the optimization problem: jobs in rings, window occurrences minus freezes, limits. */
export function makePlanProblem(
  input: PlanInput,
  options: PlanOptions = {},
): { problem: PlanProblem; notes: string[] } {
  const notes: string[] = [];
  const horizonEnd = new Date(input.now.getTime() + input.horizonDays * 86_400_000);
  let windows = input.windows;
  if (windows.length === 0) {
    windows = [DEFAULT_WINDOW];
    notes.push('no maintenance windows configured: using the default, weekly Tuesday 02:00 UTC for 4 h');
  }
  const rings = input.rings.length > 0 ? input.rings : DEFAULT_RINGS;
  const { slots, frozen } = expandWindows(windows, getFreezeIntervals(input.freezes), {
    from: input.now,
    to: horizonEnd,
    defaultCapacity: options.defaultCapacity ?? 25,
  });
  const made = makeJobs(input.findings, input.assets, {
    ...options,
    maxJobMinutes: getMaxJobMinutes(slots, input.assets, input.now, options.defaultGroup),
  });
  const dependencies = getJobDependencies(input.dependencies ?? [], made);
  const jobs = placeJobsInRings(made, assignRings(input.assets, rings), dependencies);
  for (const job of jobs)
    if (job.id.includes('#') && job.id.endsWith('#1')) notes.push(describeSplit(job, jobs));
  const members = new Map<string, number>();
  for (const asset of input.assets) for (const s of asset.services) members.set(s, (members.get(s) ?? 0) + 1);
  const serviceLimits: Record<string, number> = {};
  for (const [service, n] of members) {
    serviceLimits[service] =
      input.serviceLimits?.[service] ?? Math.max(1, Math.floor(n * (options.serviceDownFraction ?? 0.34)));
  }
  const problem: PlanProblem = {
    now: input.now,
    horizonEnd,
    jobs,
    rings: getRingSoaks(rings, jobs, {
      riskyThreshold: options.riskyThreshold ?? 0.2,
      riskySoakFactor: options.riskySoakFactor ?? 2,
    }),
    slots,
    frozen,
    serviceLimits,
    dependencies,
    weights: { ...DEFAULT_WEIGHTS, ...options.weights },
    ...(options.maxJobMinutesPerSlot ? { maxJobMinutesPerSlot: options.maxJobMinutesPerSlot } : {}),
  };
  return { problem, notes };
}

/**
 * Per window group, the longest job (minutes) an occurrence of the horizon can take before its cutoff;
 * groups no occurrence serves are left out (their jobs are reported, not split).
 */
export function getMaxJobMinutes(
  slots: readonly Slot[],
  assets: readonly PlanAsset[],
  now: Date,
  defaultGroup = 'default',
): Map<string, number> {
  const groups = new Set(assets.map((a) => a.windowGroup ?? defaultGroup));
  const max = new Map<string, number>();
  for (const slot of slots) {
    if (slot.start.getTime() < now.getTime()) continue;
    const usable = (slot.lastStart.getTime() - slot.start.getTime()) / 60_000;
    for (const group of groups) {
      if (!slot.groups.includes(group) && !slot.groups.includes('*')) continue;
      max.set(group, Math.max(max.get(group) ?? 0, usable));
    }
  }
  return max;
}

/** [before, after] asset pairs as job pairs: every part of a split job counts. */
function getJobDependencies(
  assetPairs: ReadonlyArray<[string, string]>,
  jobs: ReadonlyArray<{ id: string; assetId: string }>,
): Array<[string, string]> {
  const byAsset = new Map<string, string[]>();
  for (const job of jobs) byAsset.set(job.assetId, [...(byAsset.get(job.assetId) ?? []), job.id]);
  const out: Array<[string, string]> = [];
  for (const [a, b] of assetPairs)
    for (const before of byAsset.get(a) ?? [`job:${a}`])
      for (const after of byAsset.get(b) ?? [`job:${b}`]) out.push([before, after]);
  return out;
}

function describeSplit(
  first: { assetId: string },
  jobs: ReadonlyArray<{ assetId: string; id: string }>,
): string {
  const parts = jobs.filter((j) => j.assetId === first.assetId).length;
  return `the job of ${first.assetId} is longer than any window of its group: split by patch into ${parts} jobs`;
}

/**
 * Per ring index, the end of the last occurrence its carried-over assignments used (jobs done before
 * a re-plan and no longer in the problem), so the ring's soak still holds after them.
 */
export function getCarriedRingEnds(
  problem: PlanProblem,
  carried: ReadonlyArray<{ ring: string; slotId: string; windowId: string; end: string }>,
  windows: readonly WindowConfig[],
): Array<Date | undefined> {
  const ends: Array<Date | undefined> = problem.rings.map(() => undefined);
  for (const a of carried) {
    const r = problem.rings.findIndex((ring) => ring.id === a.ring);
    const window = windows.find((w) => w.id === a.windowId);
    const opened = Date.parse(a.slotId.slice(a.slotId.indexOf('@') + 1));
    const closes =
      window && !Number.isNaN(opened) ? opened + window.durationMinutes * 60_000 : Date.parse(a.end);
    if (r >= 0 && closes > (ends[r]?.getTime() ?? Number.NEGATIVE_INFINITY)) ends[r] = new Date(closes);
  }
  return ends;
}
