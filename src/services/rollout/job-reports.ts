/**
 * What workers and agents say about the jobs they hold: lease, heartbeat, step reports, the versions
 * recorded before apply, and the end. Every report carries the lease's fencing token; one under a
 * stale token is refused with ROLLOUT_LEASE_STALE and changes nothing. An agent may touch only its
 * own host's jobs.
 */
import { getDurationMinutes } from '../../config/index.js';
import { PatchcastError } from '../../core/errors.js';
import type { Job } from '../../core/types.js';
import type { JobOutcome, LeasedJob, StepOutcome, StepReport } from '../../rollout/contract.js';
import { makeJobSpec } from '../../rollout/job-spec.js';
import {
  appendAuditEvent,
  appendJobEvent,
  finishJob,
  heartbeatJob,
  leaseJobs,
  listJobEvents,
  listJobs,
  loadAsset,
  loadJob,
  setJobStep,
} from '../../store/index.js';
import { recordEvent } from '../auth/events.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { getPatchEvidence, getPrior, recordPatchOutcome } from './patch-learning.js';
import { recordPatchedVersions } from './record-patched.js';
import { getPredictionUpdate, getReportedNotes, type PredictionUpdate } from './release-notes-prediction.js';

const MAX_EXCERPT = 4096;

/** The permission a job report needs: agents hold `agent` (own host only), controllers `operate`. */
function authorizeWorker(deps: ServiceDeps): void {
  authorize(deps.actor, deps.actor.kind === 'agent' ? 'agent' : 'operate');
}

async function requireOwnJob(deps: ServiceDeps, jobId: string): Promise<Job> {
  const job = await loadJob(deps.store.db, jobId);
  // An agent learns nothing about other hosts' jobs: a foreign job looks like a missing one.
  if (!job || (deps.actor.kind === 'agent' && job.assetId !== deps.actor.assetId))
    throw new PatchcastError('STORE_NOT_FOUND', `no job ${jobId}`, { details: { jobId } });
  return job;
}

function stale(job: Job, token: number): PatchcastError {
  return new PatchcastError(
    'ROLLOUT_LEASE_STALE',
    `job ${job.id}: lease token ${token} is not current (the job is ${job.status}, token ${job.leaseToken})`,
    { details: { jobId: job.id, token, current: job.leaseToken, status: job.status } },
  );
}

/** A leased job as the services hand it out: the contract's `LeasedJob` with the whole job row. */
export interface LeasedJobWork extends Omit<LeasedJob, 'job'> {
  job: Job;
}

/** The calling agent's own host's jobs that are not over (pending, ready, leased); no other host's. */
export async function listOwnJobs(deps: ServiceDeps): Promise<Job[]> {
  authorize(deps.actor, 'agent');
  const assetId = deps.actor.assetId;
  if (!assetId) throw new PatchcastError('AUTH_FORBIDDEN', `${deps.actor.id} is bound to no asset`);
  const jobs = await listJobs(deps.store.db, { assetId });
  return jobs.filter((j) => j.status === 'pending' || j.status === 'ready' || j.status === 'leased');
}

/**
 * Leases released jobs: an agent its own host's `agent` jobs; a controller's worker the jobs of the
 * given executors. Each comes with its spec (from the config and asset) and what to resume from.
 */
export async function leaseWork(
  deps: ServiceDeps,
  input: { owner: string; limit: number; executors: string[] },
): Promise<LeasedJobWork[]> {
  authorizeWorker(deps);
  const agent = deps.actor.kind === 'agent';
  if (agent && !deps.actor.assetId)
    throw new PatchcastError('AUTH_FORBIDDEN', `${deps.actor.id} is bound to no asset`);
  const now = deps.clock.now();
  const leaseSeconds = durationSeconds(deps.config.rollout.lease);
  const jobs = await leaseJobs(deps.store.db, {
    owner: input.owner,
    limit: input.limit,
    leaseSeconds,
    now,
    executors: agent ? ['agent'] : input.executors,
    ...(agent && deps.actor.assetId ? { assetId: deps.actor.assetId } : {}),
  });
  const work: LeasedJobWork[] = [];
  for (const job of jobs) {
    const at = now.toISOString();
    try {
      const asset = await loadAsset(deps.store.db, job.assetId);
      if (!asset)
        throw new PatchcastError(
          'STORE_NOT_FOUND',
          `job ${job.id}: asset ${job.assetId} is not in the store`,
        );
      const spec = makeJobSpec(job, asset, deps.config);
      const last = job.step ? await loadLastStep(deps, job.id) : undefined;
      await appendJobEvent(deps.store.db, {
        jobId: job.id,
        at,
        kind: 'lease',
        data: { owner: input.owner, token: job.leaseToken, attempt: job.attempts },
      });
      work.push({
        job,
        token: job.leaseToken,
        spec,
        resume: {
          ...(job.previousVersions ? { previous: job.previousVersions } : {}),
          ...(job.step ? { lastStep: job.step } : {}),
          ...(last?.outcome ? { lastOutcome: last.outcome } : {}),
          ...(last && isRollingBack(last) ? { rollingBack: true } : {}),
        },
        leaseExpiresAt: job.leaseExpiresAt ?? at,
      });
    } catch (error) {
      // A job that cannot be specified (no versions, unknown OS) fails at once with the reason.
      const message = error instanceof Error ? error.message : String(error);
      await endJob(deps, { jobId: job.id, token: job.leaseToken, outcome: 'failed', lastError: message });
    }
  }
  return work;
}

/** Extends the lease; ROLLOUT_LEASE_STALE when it is no longer the holder's. */
export async function heartbeat(
  deps: ServiceDeps,
  input: { jobId: string; token: number },
): Promise<{ leaseExpiresAt: string }> {
  authorizeWorker(deps);
  const job = await requireOwnJob(deps, input.jobId);
  const expires = await heartbeatJob(
    deps.store.db,
    { id: job.id, token: input.token },
    deps.clock.now(),
    durationSeconds(deps.config.rollout.lease),
  );
  if (!expires) throw stale(job, input.token);
  return { leaseExpiresAt: expires };
}

/**
 * Records a step (and, with `previous`, the versions found before apply, which must be stored before
 * the apply starts). ROLLOUT_LEASE_STALE when the token is not current.
 */
export async function reportStep(
  deps: ServiceDeps,
  input: {
    jobId: string;
    token: number;
    report: StepReport;
    previous?: Array<{ name: string; version: string | null }>;
  },
): Promise<{ accepted: true }> {
  authorizeWorker(deps);
  const job = await requireOwnJob(deps, input.jobId);
  const at = deps.clock.now().toISOString();
  const { report } = input;
  const prediction = await getNotesPrediction(deps, job, report);
  const accepted = await deps.store.db.transaction().execute(async (db) => {
    // A report whose acknowledgement was lost is sent again: the same step, token and start is kept once.
    const seen = (await listJobEvents(db, job.id)).some(
      (e) =>
        e.kind === `step:${report.step}` &&
        e.data?.token === input.token &&
        e.data?.startedAt === report.startedAt,
    );
    const ok = await setJobStep(
      db,
      { id: job.id, token: input.token },
      {
        step: report.step,
        at,
        ...(input.previous ? { previousVersions: input.previous } : {}),
        ...(prediction && !seen && prediction.after !== prediction.before
          ? { payload: withPrediction(job, prediction.after) }
          : {}),
      },
    );
    if (!ok) return false;
    if (seen) return true;
    await appendJobEvent(db, {
      jobId: job.id,
      at,
      kind: `step:${report.step}`,
      data: {
        token: input.token,
        outcome: report.outcome,
        startedAt: report.startedAt,
        endedAt: report.endedAt,
        excerpt: clip(report.excerpt),
        ...(report.data ? { data: report.data } : {}),
        ...(input.previous ? { previous: input.previous } : {}),
        ...(prediction ? { prediction } : {}),
      },
    });
    return true;
  });
  if (!accepted) throw stale(await requireOwnJob(deps, input.jobId), input.token);
  return { accepted: true };
}

/**
 * A preflight with release notes re-scores the job's patches (release-notes-prediction.ts). A
 * prediction that cannot be made leaves the report as it is: the notes inform, they never block.
 */
async function getNotesPrediction(
  deps: ServiceDeps,
  job: Job,
  report: StepReport,
): Promise<PredictionUpdate | undefined> {
  const notes = report.step === 'preflight' ? getReportedNotes(report.data) : undefined;
  if (!notes) return undefined;
  try {
    return await getPredictionUpdate(deps.store.db, job, notes, deps.clock.now());
  } catch (error) {
    deps.logger.warn(
      { jobId: job.id, err: error instanceof Error ? error.message : String(error) },
      'the release notes did not update the failure prediction',
    );
    return undefined;
  }
}

/** The payload with the new prior; the planner's own number is kept beside it, once. */
function withPrediction(job: Job, after: number): Record<string, unknown> {
  const payload = job.payload ?? {};
  return {
    ...payload,
    failureProbability: after,
    ...('plannerFailureProbability' in payload ? {} : { plannerFailureProbability: getPrior(job) }),
  };
}

/**
 * Stores the versions found installed before apply (the rollback target) and marks the job as in
 * apply, before the install starts: after a crash the next holder compares the host with them.
 */
export async function beginApply(
  deps: ServiceDeps,
  input: { jobId: string; token: number; previous: Array<{ name: string; version: string | null }> },
): Promise<{ accepted: true }> {
  authorizeWorker(deps);
  const job = await requireOwnJob(deps, input.jobId);
  const at = deps.clock.now().toISOString();
  const accepted = await deps.store.db.transaction().execute(async (db) => {
    const ok = await setJobStep(
      db,
      { id: job.id, token: input.token },
      { step: 'apply', at, previousVersions: input.previous },
    );
    if (ok)
      await appendJobEvent(db, {
        jobId: job.id,
        at,
        kind: 'apply:begin',
        data: { token: input.token, previous: input.previous },
      });
    return ok;
  });
  if (!accepted) throw stale(await requireOwnJob(deps, input.jobId), input.token);
  return { accepted: true };
}

/**
 * Ends the job under its lease: succeeded, failed or rolled back (audited as `job:<outcome>` with the
 * reason), or — for a transient failure before apply (the host did not answer) — back to `ready` after
 * a backoff while attempts remain.
 */
export async function endJob(
  deps: ServiceDeps,
  input: { jobId: string; token: number; outcome: JobOutcome; lastError?: string; transient?: boolean },
): Promise<{ status: string }> {
  authorizeWorker(deps);
  const job = await requireOwnJob(deps, input.jobId);
  const now = deps.clock.now();
  const at = now.toISOString();
  const { maxAttempts, backoff } = deps.config.rollout;
  // Once apply may have started (the versions before it are recorded), a transient failure never ends
  // the job: the host may be at the targets, and only the next holder's re-check can say. An expired
  // lease after apply is taken over without limit too; the backoff keeps such retries rare.
  const applyBegan = job.previousVersions !== undefined;
  const retry =
    input.transient === true && input.outcome === 'failed' && (job.attempts < maxAttempts || applyBegan);
  const status = retry ? 'ready' : input.outcome;
  const retryAt = new Date(
    now.getTime() + durationSeconds(backoff) * 1000 * 2 ** Math.max(0, job.attempts - 1),
  ).toISOString();
  const done = await deps.store.db.transaction().execute(async (db) => {
    const ok = await finishJob(
      db,
      { id: job.id, token: input.token },
      {
        status,
        at,
        ...(input.lastError ? { lastError: input.lastError.slice(0, 2000) } : {}),
        ...(retry ? { retryAt } : {}),
      },
    );
    if (!ok) return false;
    await appendJobEvent(db, {
      jobId: job.id,
      at,
      kind: retry ? 'retry' : 'end',
      data: { token: input.token, status, lastError: input.lastError ?? null, ...(retry ? { retryAt } : {}) },
    });
    // Every outcome that says something about the patches updates their fleet posterior at once.
    const evidence = retry ? undefined : getPatchEvidence(input.outcome, job.step);
    const learned = evidence ? await recordPatchOutcome(db, job, evidence, at) : undefined;
    if (!retry)
      await appendAuditEvent(db, {
        at,
        actor: deps.actor.id,
        action: `job:${input.outcome}`,
        subject: job.id,
        data: {
          planId: job.planId ?? null,
          assetId: job.assetId,
          attempts: job.attempts,
          packages: job.payload?.packages ?? [],
          ...(input.lastError ? { reason: input.lastError.slice(0, 500) } : {}),
          ...(learned ? { failurePosterior: learned } : {}),
        },
      });
    await recordEvent(db, {
      at,
      kind: 'rollout:changed',
      subject: job.planId ?? job.id,
      data: { jobId: job.id, status },
    });
    return true;
  });
  if (!done) throw stale(await requireOwnJob(deps, input.jobId), input.token);
  if (status === 'succeeded') {
    // The store learns the verified versions now; a failure here leaves the job succeeded and the
    // next inventory (an agent's report, an import) says the same.
    await recordPatchedVersions(deps, job).catch((error) =>
      deps.logger.warn({ jobId: job.id, error: String(error) }, 'could not record the patched versions'),
    );
  }
  return { status };
}

/** The last step report the store accepted for a job (its `step:*` event). */
async function loadLastStep(
  deps: ServiceDeps,
  jobId: string,
): Promise<{ step: string; outcome?: StepOutcome } | undefined> {
  const events = await listJobEvents(deps.store.db, jobId);
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (!e?.kind.startsWith('step:')) continue;
    const outcome = e.data?.outcome;
    return {
      step: e.kind.slice(5),
      ...(outcome === 'ok' || outcome === 'skipped' || outcome === 'failed' ? { outcome } : {}),
    };
  }
  return undefined;
}

/** A job is rolling back once a step after apply failed, or its rollback step was reported. */
function isRollingBack(last: { step: string; outcome?: StepOutcome }): boolean {
  return (
    last.step === 'rollback' ||
    (['apply', 'restart', 'verify'].includes(last.step) && last.outcome === 'failed')
  );
}

function clip(text: string): string {
  if (text.length <= MAX_EXCERPT) return text;
  const half = MAX_EXCERPT / 2 - 20;
  return `${text.slice(0, half)}\n… (${text.length - 2 * half} characters cut) …\n${text.slice(-half)}`;
}

/** Seconds in a config duration such as `10m`. */
export function durationSeconds(text: string): number {
  return Math.round(getDurationMinutes(text) * 60);
}
