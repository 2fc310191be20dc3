import { z } from 'zod';
import { createEnrollToken, enrollAgent, listAgents, revokeAgent } from '../../services/auth/agents.js';
import { listOwnJobs } from '../../services/rollout/job-reports.js';
import { defineRoute } from '../route.js';
import { idParam } from '../schemas.js';

const agentInfo = z
  .object({
    id: z.string(),
    assetId: z.string(),
    hostname: z.string(),
    enrolledAt: z.string(),
    lastSeenAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'AgentInfo' });

const jobSchema = z
  .object({
    id: z.string(),
    planId: z.string().optional(),
    waveId: z.string().optional(),
    assetId: z.string(),
    status: z.string(),
    payload: z.record(z.string(), z.unknown()).optional(),
    notBefore: z.string().optional(),
    notAfter: z.string().optional(),
    slotId: z.string().optional(),
    attempts: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Job' });

export const AGENT_ROUTES = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/agents/enroll-tokens',
    tag: 'agents',
    summary: 'Create an enrollment token (printed once) an agent trades for its own credential',
    access: 'admin',
    status: 201,
    body: z.strictObject({
      expires: z
        .string()
        .regex(/^(\d+[smhdw])+$/)
        .default('1h'),
      uses: z.number().int().min(1).max(100_000).default(1),
    }),
    response: z.object({ id: z.string(), token: z.string(), expiresAt: z.string(), uses: z.number().int() }),
    handler: async ({ deps, body }) => createEnrollToken(deps, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/agents/enroll',
    tag: 'agents',
    summary:
      "An agent trades an enrollment token for a credential bound to its asset (the token is this route's credential)",
    access: 'public',
    status: 201,
    body: z.strictObject({
      enrollToken: z.string().regex(/^pce_[A-Za-z0-9_-]{43}$/, 'expected an enrollment token (pce_…)'),
      assetId: z.string().min(1).max(200),
      hostname: z.string().min(1).max(253),
    }),
    response: z
      .object({ agentId: z.string(), credential: z.string(), assetId: z.string() })
      .meta({ id: 'AgentCredential' }),
    handler: async ({ deps, body }) => enrollAgent(deps.store, deps.clock, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/agents',
    tag: 'agents',
    summary: 'Enrolled agents',
    access: 'admin',
    response: z.array(agentInfo),
    handler: async ({ deps }) => listAgents(deps),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/agents/:id',
    tag: 'agents',
    summary: "Revoke an agent's credential",
    access: 'admin',
    params: idParam,
    response: agentInfo,
    handler: async ({ deps, params }) => revokeAgent(deps, params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/agent/jobs',
    tag: 'agents',
    summary: "The calling agent's own host's jobs (pending, ready and leased); no other host's",
    access: 'agent',
    response: z.array(jobSchema),
    handler: async ({ deps }) => listOwnJobs(deps),
  }),
];
