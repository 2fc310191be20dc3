import { z } from 'zod';
import {
  abortRollout,
  approveRollout,
  pauseRollout,
  resumeRollout,
  retryJob,
  startRollout,
} from '../../services/rollout/control-rollout.js';
import { beginApply, endJob, heartbeat, leaseWork, reportStep } from '../../services/rollout/job-reports.js';
import { waitForLeasableJob } from '../../services/rollout/lease-wait.js';
import { loadJobDetail, loadRolloutStatus } from '../../services/rollout/load-rollout-status.js';
import { defineRoute } from '../route.js';
import { idParam, openObject } from '../schemas.js';
import { importAgentInventory } from '../use-cases/uploads.js';

const planParam = z.strictObject({ planId: z.string().min(1).max(200) });
const reasonBody = z.strictObject({ reason: z.string().max(2000).optional() });
const rolloutStatus = openObject(
  'RolloutStatus',
  'status, waves with their gate numbers, jobs with their steps',
);
const changed = z.looseObject({ planId: z.string(), status: z.string() }).meta({ id: 'RolloutChange' });
const token = z.number().int().min(1);
const versions = z
  .array(z.strictObject({ name: z.string().min(1).max(300), version: z.string().max(300).nullable() }))
  .max(10_000);
const stepReport = z
  .strictObject({
    step: z.enum([
      'preflight',
      'rehearsal',
      'pre-hooks',
      'apply',
      'restart',
      'verify',
      'post-hooks',
      'rollback',
    ]),
    outcome: z.enum(['ok', 'skipped', 'failed']),
    startedAt: z.string().max(40),
    endedAt: z.string().max(40),
    excerpt: z.string().max(16_384),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'StepReport' });
const jobParam = idParam;
const strip = <T extends { auditEvent: unknown }>({ auditEvent: _a, ...rest }: T) => rest;

export const ROLLOUT_ROUTES = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/rollouts',
    tag: 'rollouts',
    summary:
      'Start rolling out a plan (default the latest); `approve` (approver) approves a draft plan and approval-required rings',
    access: 'operate',
    status: 201,
    body: z.strictObject({
      planId: z.string().min(1).optional(),
      approve: z.boolean().default(false),
      now: z
        .boolean()
        .default(false)
        .describe("an approver's emergency change: start jobs now, not at their windows"),
    }),
    response: openObject('StartedRollout', 'planId, status, planApproved, approvedRings, awaitingApproval'),
    handler: async ({ deps, body }) =>
      strip(
        await startRollout(deps, { ...(body.planId ? { planId: body.planId } : {}), approve: body.approve }),
      ),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/rollouts/:planId',
    tag: 'rollouts',
    summary:
      'A rollout (`latest` for the newest): waves with failures against the budget, concurrency, soak; jobs with their step',
    access: 'read',
    params: planParam,
    response: rolloutStatus,
    handler: async ({ deps, params }) =>
      loadRolloutStatus(deps, params.planId === 'latest' ? {} : { planId: params.planId }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/rollouts/:planId/approve',
    tag: 'rollouts',
    summary: 'Approve the rings of a rollout that need an approver (one ring, or all)',
    access: 'approve',
    params: planParam,
    body: z.strictObject({ ring: z.string().min(1).optional() }),
    response: z.object({ planId: z.string(), approvedRings: z.array(z.string()) }),
    handler: async ({ deps, params, body }) =>
      strip(await approveRollout(deps, { planId: params.planId, ...(body.ring ? { ring: body.ring } : {}) })),
  }),
  ...(
    [
      ['pause', 'Pause a running rollout (running jobs finish)', pauseRollout],
      ['resume', 'Resume a paused rollout, or a halted one (approver)', resumeRollout],
      ['abort', 'Abort a rollout: jobs not started are cancelled', abortRollout],
    ] as const
  ).map(([verb, summary, service]) =>
    defineRoute({
      method: 'POST',
      url: `/api/v1/rollouts/:planId/${verb}`,
      tag: 'rollouts',
      summary,
      access: 'operate',
      params: planParam,
      body: reasonBody,
      response: changed,
      handler: async ({ deps, params, body }) =>
        strip(
          await service(deps, { planId: params.planId, ...(body.reason ? { reason: body.reason } : {}) }),
        ),
    }),
  ),
  defineRoute({
    method: 'GET',
    url: '/api/v1/jobs/:id',
    tag: 'rollouts',
    summary: 'One job and each step it ran (start, end, outcome, output excerpt)',
    access: 'read',
    params: jobParam,
    response: openObject('JobDetail', 'job and its step events'),
    handler: async ({ deps, params }) => loadJobDetail(deps, { jobId: params.id }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/jobs/:id/retry',
    tag: 'rollouts',
    summary: 'Put a failed, rolled-back or missed job back in its wave',
    access: 'operate',
    params: jobParam,
    body: z.strictObject({}),
    response: z.object({ jobId: z.string(), status: z.string(), was: z.string() }),
    handler: async ({ deps, params }) => strip(await retryJob(deps, { jobId: params.id })),
  }),
];

const leased = z
  .object({
    job: openObject('LeasedJobRow', 'the job row'),
    token: z.number().int(),
    spec: openObject('JobSpec', 'targets, manager, allow, rehearsal, hooks, probes, reboot'),
    resume: z.object({ previous: versions.optional(), lastStep: z.string().optional() }),
    leaseExpiresAt: z.string(),
  })
  .meta({ id: 'LeasedJob' });

/** The agent's side: lease its own host's jobs (long poll), heartbeat, report steps and the end, report inventory. */
export const AGENT_JOB_ROUTES = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/agent/lease',
    tag: 'agents',
    summary:
      "Lease the calling agent's own host's released jobs, waiting up to `wait` seconds for one (long poll)",
    access: 'agent',
    body: z.strictObject({
      limit: z.number().int().min(1).max(10).default(1),
      wait: z.number().int().min(0).max(30).default(0),
    }),
    response: z.array(leased),
    handler: async ({ deps, body, request, reply }) => {
      const owner = deps.actor.id;
      const untilMs = Date.now() + body.wait * 1000;
      // The response closing before it was sent means the agent went away: stop waiting for it.
      // (Not `request.raw.destroyed`: Node sets that as soon as the request body has been read.)
      const gone = new AbortController();
      const abort = () => gone.abort();
      reply.raw.once('close', abort);
      try {
        for (;;) {
          const work = await leaseWork(deps, { owner, limit: body.limit, executors: ['agent'] });
          if (work.length > 0) return work;
          const wait = () => waitForLeasableJob(deps, { untilMs, signal: gone.signal });
          // The wait needs no store connection: it gives the agent slot back meanwhile (agent-gate.ts).
          const found = await (request.agentSlot ? request.agentSlot.whileWaiting(wait) : wait());
          if (!found) return [];
        }
      } finally {
        reply.raw.off('close', abort);
      }
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/agent/jobs/:id/heartbeat',
    tag: 'agents',
    summary: 'Extend a lease the agent holds (409 ROLLOUT_LEASE_STALE once it is no longer its own)',
    access: 'agent',
    params: jobParam,
    body: z.strictObject({ token }),
    response: z.object({ leaseExpiresAt: z.string() }),
    handler: async ({ deps, params, body }) => heartbeat(deps, { jobId: params.id, token: body.token }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/agent/jobs/:id/apply',
    tag: 'agents',
    summary: 'Record the versions installed before apply (the rollback target), before the install starts',
    access: 'agent',
    params: jobParam,
    body: z.strictObject({ token, previous: versions }),
    response: z.object({ accepted: z.literal(true) }),
    handler: async ({ deps, params, body }) =>
      beginApply(deps, { jobId: params.id, token: body.token, previous: body.previous }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/agent/jobs/:id/steps',
    tag: 'agents',
    summary: 'Report one step of a leased job (409 ROLLOUT_LEASE_STALE under a stale token)',
    access: 'agent',
    params: jobParam,
    body: z.strictObject({ token, report: stepReport }),
    response: z.object({ accepted: z.literal(true) }),
    handler: async ({ deps, params, body }) => {
      const { data, ...rest } = body.report;
      return reportStep(deps, {
        jobId: params.id,
        token: body.token,
        report: { ...rest, ...(data ? { data } : {}) },
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/agent/jobs/:id/end',
    tag: 'agents',
    summary: 'End a leased job: succeeded, failed (transient: retried after a backoff) or rolled-back',
    access: 'agent',
    params: jobParam,
    body: z.strictObject({
      token,
      outcome: z.enum(['succeeded', 'failed', 'rolled-back']),
      lastError: z.string().max(4000).optional(),
      transient: z.boolean().default(false),
    }),
    response: z.object({ status: z.string() }),
    handler: async ({ deps, params, body }) =>
      endJob(deps, {
        jobId: params.id,
        token: body.token,
        outcome: body.outcome,
        transient: body.transient,
        ...(body.lastError ? { lastError: body.lastError } : {}),
      }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/agent/inventory',
    tag: 'agents',
    summary:
      "The agent's report of its own host (patchcast.agent-report/1), imported into its asset and re-matched",
    access: 'agent',
    rawBody: true,
    response: z.object({
      assetId: z.string(),
      packages: z.number().int(),
      findings: z.number().int().nullable(),
      warnings: z.array(z.string()),
    }),
    handler: async ({ deps, body }) => importAgentInventory(deps, { body }),
  }),
];
