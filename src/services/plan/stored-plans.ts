import { randomBytes } from 'node:crypto';
import type { Config } from '../../config/index.js';
import { PatchcastError } from '../../core/errors.js';
import type { Job, PlanStatus, Wave } from '../../core/types.js';
import type { SolveOptions } from '../../planning/optimize.js';
import { makePlan, type Plan } from '../../planning/plan.js';
import { getPlanDiff, type PlanDiff, replan } from '../../planning/replan.js';
import {
  appendAuditEvent,
  appendEvent,
  cancelPendingJobs,
  type Db,
  enqueueJobs,
  insertPlan,
  type JobInput,
  listJobs,
  listPlans,
  loadPlan,
  type Store,
  setPlanStatus,
} from '../../store/index.js';
import { loadStoredPatchFailureProbabilities } from './patch-reliability.js';
import { getPlanOptions, loadPlanInput } from './plan-input.js';

/** A plan as stored: its id, status, the plan it replaced, and the plan document. */
export interface StoredPlan {
  id: string;
  status: PlanStatus;
  previousId?: string;
  plan: Plan;
}

/** The outcome of `patchcast plan`: the new plan, and what changed against the previous one. */
export interface PlanRun {
  /** Absent for a dry run. */
  id?: string;
  stored: boolean;
  plan: Plan;
  previous?: StoredPlan;
  diff?: PlanDiff;
  /** Jobs of the previous plan that had started and were kept in place. */
  kept: string[];
}

export interface PlanRunOptions {
  config: Config;
  now: Date;
  horizonDays: number;
  dryRun?: boolean;
  /** Who asked, for the audit log. */
  actor: string;
  solve?: SolveOptions;
}

/** Job states that mean a worker has the job now; finished states leave the plan. */
const FINISHED: ReadonlySet<Job['status']> = new Set([
  'succeeded',
  'failed',
  'rolled-back',
  'cancelled',
  'missed',
]);

/**
 * Plans from the store and config. With a stored plan, re-plans without moving jobs that have
 * started (their window is under way, or a worker leased them); finished jobs leave the plan.
 * Unless a dry run, stores the plan, its waves and jobs in one transaction, supersedes the previous
 * plan (cancelling its jobs no worker took) and writes a `plan:create` audit event and its
 * `plan:created` event.
 */
export async function makeStoredPlan(store: Store, options: PlanRunOptions): Promise<PlanRun> {
  const { config, now } = options;
  const input = await loadPlanInput(store.db, config, { now, horizonDays: options.horizonDays });
  // Patches the reliability model scores from the store's Debian advisories get its probability;
  // without advisories in the store every job says its estimate is the default rate.
  const failureProbabilities = await loadStoredPatchFailureProbabilities(store.db, input.findings, now);
  const planOptions = {
    ...getPlanOptions(config),
    ...options.solve,
    ...(Object.keys(failureProbabilities).length > 0 ? { failureProbabilities } : {}),
  };
  const previous = await loadLatestPlan(store.db);
  if (!previous) {
    const plan = await makePlan(input, planOptions);
    return finish(store, options, { plan, kept: [] });
  }
  // A job a worker holds stays with the plan it was leased under (see savePlan), maybe an older one.
  const rows = [
    ...(await listJobs(store.db, { planId: previous.id })),
    ...(await listJobs(store.db, { status: 'leased' })),
    ...(await listJobs(store.db, { status: 'ready' })),
  ];
  const states = new Map(rows.map((j) => [getJobKey(j), j.status]));
  // Released jobs count as started: a worker or agent may lease them at any moment.
  const leased = new Set([...states].filter(([, s]) => s === 'leased' || s === 'ready').map(([k]) => k));
  const running = previous.plan.assignments.filter((a) => {
    const state = states.get(a.jobId);
    if (state === 'leased' || state === 'ready') return true;
    if (state && FINISHED.has(state)) return false;
    return Date.parse(a.start) <= now.getTime() && Date.parse(a.end) > now.getTime();
  });
  const { plan } = await replan({ ...previous.plan, assignments: running }, input, {
    ...planOptions,
    startedJobIds: leased,
  });
  const kept = running.map((a) => a.jobId).filter((id) => plan.assignments.some((a) => a.jobId === id));
  return finish(store, options, { plan, kept, previous, diff: getPlanDiff(previous.plan, plan), leased });
}

async function finish(
  store: Store,
  options: PlanRunOptions,
  run: Omit<PlanRun, 'stored' | 'id'> & { leased?: ReadonlySet<string> },
): Promise<PlanRun> {
  const { leased, ...result } = run;
  if (options.dryRun) return { ...result, stored: false };
  const id = makePlanId(options.now);
  await store.db.transaction().execute(async (db) => {
    await savePlan(db, id, run.plan, { previousId: run.previous?.id, leased: leased ?? new Set() });
    if (run.previous) {
      await setPlanStatus(db, run.previous.id, 'superseded');
      await cancelPendingJobs(db, run.previous.id, options.now.toISOString());
    }
    await appendAuditEvent(db, {
      at: options.now.toISOString(),
      actor: options.actor,
      action: 'plan:create',
      subject: id,
      data: {
        previousId: run.previous?.id ?? null,
        method: run.plan.method,
        jobs: run.plan.assignments.length,
        unscheduled: run.plan.unscheduled.length,
        objective: run.plan.objective,
        bound: run.plan.bound,
        gap: run.plan.gap,
        kept: run.kept.length,
        ...(run.diff
          ? { added: run.diff.added.length, moved: run.diff.moved.length, removed: run.diff.removed.length }
          : {}),
      },
    });
    // The API's server-sent event, in the plan's transaction whichever door planned.
    await appendEvent(db, { at: options.now.toISOString(), kind: 'plan:created', subject: id });
  });
  return { ...result, id, stored: true };
}

/** `plan-20260505-020000-3fa2`: sortable by time, unique by its random tail. */
function makePlanId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `plan-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** The planner's job id a stored job row carries (rows are `<plan id>/<job id>`). */
function getJobKey(job: Job): string {
  const key = job.payload?.jobId;
  return typeof key === 'string' ? key : job.id.slice(job.id.indexOf('/') + 1);
}

/**
 * Writes a plan: the plan row (the whole plan document in `data`), one wave per ring in rollout
 * order, and one pending job per assignment — except jobs a worker holds under the previous plan,
 * which stay there so nothing runs twice.
 */
export async function savePlan(
  db: Db,
  id: string,
  plan: Plan,
  options: { previousId?: string | undefined; leased: ReadonlySet<string> },
): Promise<void> {
  const waves = getWaves(id, plan);
  await insertPlan(
    db,
    {
      id,
      status: 'draft',
      createdAt: plan.createdAt,
      horizonEnd: plan.horizonEnd,
      objective: plan.objective,
      bound: plan.bound,
      gap: plan.gap,
      method: plan.method,
      solveSeconds: plan.solveSeconds,
      jobCount: plan.assignments.length,
      unscheduledCount: plan.unscheduled.length,
      ...(options.previousId ? { previousId: options.previousId } : {}),
      data: plan as unknown as Record<string, unknown>,
    },
    waves,
  );
  const waveOf = new Map(waves.map((w) => [w.ring, w.id]));
  const lastStart = new Map((plan.occurrences ?? []).map((o) => [o.id, o.lastStart]));
  const jobs: JobInput[] = plan.assignments
    .filter((a) => !options.leased.has(a.jobId))
    .map((a) => ({
      id: `${id}/${a.jobId}`,
      planId: id,
      assetId: a.assetId,
      slotId: a.slotId,
      notBefore: a.start,
      notAfter: lastStart.get(a.slotId) ?? a.start,
      payload: {
        jobId: a.jobId,
        windowId: a.windowId,
        ring: a.ring,
        packages: a.packages,
        patches: a.patches ?? [],
        end: a.end,
        ...(a.failureProbability !== undefined ? { failureProbability: a.failureProbability } : {}),
      },
      ...(waveOf.has(a.ring) ? { waveId: waveOf.get(a.ring) } : {}),
    }));
  await enqueueJobs(db, jobs, plan.createdAt);
}

/** One wave per ring, in rollout order (by first start), spanning its jobs. */
function getWaves(planId: string, plan: Plan): Wave[] {
  const spans = new Map<string, { start: string; end: string }>();
  for (const a of plan.assignments) {
    const s = spans.get(a.ring);
    if (!s) spans.set(a.ring, { start: a.start, end: a.end });
    else {
      if (a.start < s.start) s.start = a.start;
      if (a.end > s.end) s.end = a.end;
    }
  }
  return [...spans]
    .sort((a, b) => a[1].start.localeCompare(b[1].start) || a[0].localeCompare(b[0]))
    .map(([ring, span], position) => ({
      id: `${planId}/wave-${position + 1}-${ring}`,
      planId,
      ring,
      position,
      status: 'pending',
      startsAt: span.start,
      endsAt: span.end,
    }));
}

/** The newest stored plan, or undefined when none is stored. */
export async function loadLatestPlan(db: Db): Promise<StoredPlan | undefined> {
  const [latest] = await listPlans(db, { limit: 1 });
  return latest ? loadStoredPlan(db, latest.id) : undefined;
}

/** A stored plan by id (STORE_NOT_FOUND naming `patchcast plan list` when there is none). */
export async function loadStoredPlan(db: Db, id: string): Promise<StoredPlan> {
  const found = await loadPlan(db, id);
  if (!found?.plan.data)
    throw new PatchcastError('STORE_NOT_FOUND', `no stored plan ${id}`, {
      hint: 'List the stored plans with `patchcast plan list`.',
      details: { planId: id },
    });
  return {
    id,
    status: found.plan.status,
    ...(found.plan.previousId ? { previousId: found.plan.previousId } : {}),
    plan: found.plan.data as unknown as Plan,
  };
}
