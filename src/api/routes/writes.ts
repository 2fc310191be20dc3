import { z } from 'zod';
import { FEED_SOURCES } from '../../feeds/index.js';
import { getPlanChanges } from '../../planning/render/diff.js';
import { EXCEPTION_SCOPES } from '../../risk/exceptions/index.js';
import { approveExceptionRequest } from '../../services/exceptions/approve-exception-request.js';
import { listExceptions } from '../../services/exceptions/list-exceptions.js';
import { requestException } from '../../services/exceptions/request-exception.js';
import { revokeException } from '../../services/exceptions/revoke-exception.js';
import { approvePlan } from '../../services/plan/approve-plan.js';
import { makePlan } from '../../services/plan/make-plan.js';
import { triggerSync } from '../../services/sync/trigger-sync.js';
import { defineRoute } from '../route.js';
import { exceptionSchema, idParam, openObject } from '../schemas.js';
import { importInventoryUpload, importVexUpload } from '../use-cases/uploads.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const exceptionRequest = z
  .strictObject({
    scope: z.enum(EXCEPTION_SCOPES as unknown as [string, ...string[]]),
    id: z.string().min(1).max(500).describe('the finding id, vulnerability id, package name or asset id'),
    assetId: z
      .string()
      .min(1)
      .optional()
      .describe('narrows a vulnerability or package exception to one asset'),
    owner: z.string().min(1).max(200),
    reason: z.string().min(1).max(4000),
    expires: day.describe('last day it holds'),
    compensatingControl: z.string().min(1).max(4000).optional(),
  })
  .meta({ id: 'ExceptionRequest' });

const uploadQuery = z.strictObject({
  filename: z
    .string()
    .min(1)
    .max(200)
    .describe('the file name the format is recognised by, e.g. package-lock.json'),
});

export const WRITE_ROUTES = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/exceptions',
    tag: 'exceptions',
    summary: 'Exceptions in force (`all=true`: also lapsed and revoked)',
    access: 'read',
    query: z.strictObject({ all: z.enum(['true', 'false']).default('false') }),
    response: z.array(exceptionSchema.extend({ active: z.boolean() })),
    handler: async ({ deps, query }) =>
      (await listExceptions(deps, { all: query.all === 'true' })).map(({ state, covers: _c, ...e }) => ({
        ...e,
        active: state === 'active',
      })),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/exception-requests',
    tag: 'exceptions',
    summary: 'Request a risk acceptance; it suppresses nothing until an approver approves it',
    access: 'operate',
    status: 201,
    body: exceptionRequest,
    response: z.object({ requestId: z.string(), request: exceptionRequest }),
    handler: async ({ deps, body }) => {
      const { requestId, request } = await requestException(deps, body);
      return { requestId, request };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/exception-requests/:id/approve',
    tag: 'exceptions',
    summary: 'Approve a request: the exception is created with the approver named, findings re-policed',
    access: 'approve',
    status: 201,
    params: idParam,
    response: z.object({ exception: exceptionSchema, covers: z.number().int() }),
    handler: async ({ deps, params }) => {
      const { exception, covers } = await approveExceptionRequest(deps, { requestId: params.id });
      return { exception, covers };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/exceptions/:id/revoke',
    tag: 'exceptions',
    summary: 'End an exception now; the findings it covered are open again',
    access: 'approve',
    params: idParam,
    response: z.object({ id: z.string(), revokedAt: z.string(), reopened: z.number().int() }),
    handler: async ({ deps, params }) => {
      const { id, revokedAt, reopened } = await revokeException(deps, { id: params.id });
      return { id, revokedAt, reopened };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/inventory',
    tag: 'uploads',
    summary: 'Upload one inventory file (SBOM, package database, lockfile, registry) and re-match its assets',
    access: 'operate',
    rawBody: true,
    query: uploadQuery.extend({
      asset: z
        .string()
        .min(1)
        .optional()
        .describe(
          'put every package found into this asset; needed for a file that does not name its asset (a lockfile, a package database)',
        ),
      match: z.enum(['true', 'false']).default('true'),
    }),
    response: openObject('InventoryImport', 'assets, registryAssets, findings, resolved, warnings'),
    handler: async ({ deps, query, body }) =>
      importInventoryUpload(deps, {
        body,
        filename: query.filename,
        match: query.match === 'true',
        ...(query.asset ? { assetId: query.asset } : {}),
      }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/vex',
    tag: 'uploads',
    summary: 'Upload one VEX document (CycloneDX VEX, OpenVEX, CSAF) and re-apply VEX to findings',
    access: 'operate',
    rawBody: true,
    query: uploadQuery,
    response: z.object({
      statements: z.number().int(),
      suppressed: z.number().int(),
      reopened: z.number().int(),
    }),
    handler: async ({ deps, query, body }) => importVexUpload(deps, { body, filename: query.filename }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/plans',
    tag: 'plans',
    summary: 'Plan (or re-plan) and store the patch plan; dryRun returns it without storing',
    access: 'operate',
    status: 201,
    body: z.strictObject({
      horizonDays: z.number().int().min(1).max(366).default(30),
      timeLimitSeconds: z.number().min(1).max(600).default(20),
      greedy: z.boolean().default(false),
      dryRun: z.boolean().default(false),
    }),
    response: z.object({
      id: z.string().nullable(),
      stored: z.boolean(),
      kept: z.array(z.string()),
      changes: z.array(z.looseObject({})),
      plan: z.looseObject({}),
    }),
    handler: async ({ deps, body }) => {
      const run = await makePlan(deps, {
        horizonDays: body.horizonDays,
        ...(body.dryRun ? { dryRun: true } : {}),
        solve: {
          timeLimitSeconds: body.timeLimitSeconds,
          ...(body.greedy ? { method: 'greedy' as const } : {}),
        },
      });
      const changes = run.previous && run.diff ? getPlanChanges(run.previous.plan, run.plan, run.diff) : [];
      return { id: run.id ?? null, stored: run.stored, kept: run.kept, changes, plan: run.plan };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/plans/:id/approve',
    tag: 'plans',
    summary: 'Approve a draft plan',
    access: 'approve',
    params: idParam,
    response: z.object({
      id: z.string(),
      status: z.literal('approved'),
      approvedBy: z.string(),
      approvedAt: z.string(),
    }),
    handler: async ({ deps, params }) => {
      const { id, status, approvedBy, approvedAt } = await approvePlan(deps, { planId: params.id });
      return { id, status, approvedBy, approvedAt };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/sync',
    tag: 'sync',
    summary: 'Start a sync of the feeds (default all) from their public URLs, then the re-match; 202',
    access: 'operate',
    status: 202,
    body: z.strictObject({
      sources: z.array(z.enum(FEED_SOURCES.map((s) => s.id) as [string, ...string[]])).optional(),
    }),
    response: z.object({ started: z.boolean(), startedAt: z.string(), sources: z.array(z.string()) }),
    handler: async ({ deps, body }) => triggerSync(deps, body.sources ? { sources: body.sources } : {}),
  }),
];
