/** The API's shared zod schemas: request parts and the response bodies the OpenAPI document names. */
import { z } from 'zod';

export const idParam = z.strictObject({ id: z.string().min(1).max(500) });

/** `?limit=` as the CLI's `--limit`: a whole number, bounded. */
export const limitParam = (fallback: number, max = 1000) =>
  z.coerce.number().int().min(0).max(max).default(fallback);

export const assetSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    environment: z.string().optional(),
    criticality: z.enum(['low', 'medium', 'high', 'critical']).optional(),
    internetExposed: z.boolean(),
    dataClassification: z.string().optional(),
    owner: z.string().optional(),
    services: z.array(z.string()),
    tags: z.array(z.string()),
    windowGroup: z.string().optional(),
    osEcosystem: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Asset' });

export const findingSchema = z
  .object({
    id: z.string(),
    assetId: z.string(),
    vulnerabilityId: z.string(),
    ecosystem: z.string(),
    packageName: z.string(),
    installedVersion: z.string(),
    fixedVersions: z.array(z.string()),
    targetVersion: z.string().optional(),
    status: z.enum(['open', 'suppressed', 'excepted', 'fixed', 'retired']),
    suppression: z
      .object({ kind: z.enum(['vex', 'exception']), justification: z.string(), ref: z.string().optional() })
      .optional(),
    risk: z.number().optional(),
    dueDate: z.string().optional(),
    firstSeen: z.string(),
    lastSeen: z.string(),
    resolvedAt: z.string().optional(),
  })
  .meta({ id: 'Finding' });

/** A finding's risk as `patchcast explain <finding-id> --json` gives it (services/findings/explain-finding.ts). */
export const findingExplanationSchema = z
  .object({
    findingId: z.string(),
    assetId: z.string(),
    packageName: z.string(),
    vulnerabilityId: z.string(),
    cve: z.string().nullable(),
    status: findingSchema.shape.status,
    risk: z.number().describe('in [0, 1]: the sum of the contributions'),
    ssvc: z.object({
      decision: z.enum(['Track', 'Track*', 'Attend', 'Act']),
      exploitation: z.enum(['none', 'poc', 'active']),
      automatable: z.enum(['yes', 'no']),
      technicalImpact: z.enum(['partial', 'total']),
      missionWellbeing: z.enum(['low', 'medium', 'high']),
    }),
    dueDate: z.string().nullable(),
    exploit: z.object({
      probability: z.number(),
      source: z.enum(['model', 'epss', 'cvss-prior']),
      horizonDays: z.number(),
      asOf: z.string(),
      epss: z.object({ score: z.number(), date: z.string() }).nullable(),
      model: z
        .object({ probability: z.number(), onEpssScale: z.number().nullable(), asOf: z.string() })
        .nullable(),
    }),
    sla: z
      .object({
        dueDate: z.string().nullable().describe('null when the rule says "next upgrade"'),
        state: z.enum(['on-track', 'due-soon', 'breached', 'paused', 'closed']),
        rule: z.string().describe('the id of the config rule that set it (`none` when no rule matches)'),
        reason: z.string(),
        exceptionId: z.string().optional().describe('the exception that pauses or changes the clock'),
      })
      .describe('the SLA under the configured policy now, as `patchcast sla` computes it'),
    contributions: z.array(
      z.object({ factor: z.string(), value: z.number(), text: z.string() }).meta({
        id: 'Contribution',
        description: 'One named, signed part of a score; the parts add up to it',
      }),
    ),
  })
  .meta({ id: 'FindingExplanation' });

export const planSchema = z
  .object({
    id: z.string(),
    status: z.enum(['draft', 'approved', 'running', 'done', 'superseded']),
    createdAt: z.string(),
    horizonEnd: z.string().optional(),
    objective: z.number().optional(),
    bound: z.number().optional(),
    gap: z.number().optional(),
    method: z.string().optional(),
    solveSeconds: z.number().optional(),
    jobCount: z.number().optional(),
    unscheduledCount: z.number().optional(),
    previousId: z.string().optional(),
  })
  .meta({ id: 'Plan' });

export const auditEventSchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    subject: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export const exceptionSchema = z
  .object({
    id: z.string(),
    scope: z.enum(['finding', 'vulnerability', 'package', 'asset']),
    vulnerabilityId: z.string().optional(),
    assetId: z.string().optional(),
    packageName: z.string().optional(),
    findingId: z.string().optional(),
    owner: z.string(),
    reason: z.string(),
    approver: z.string().optional(),
    compensatingControl: z.string().optional(),
    createdAt: z.string(),
    expiresAt: z.string(),
    revokedAt: z.string().optional(),
  })
  .meta({ id: 'RiskException' });

/** A JSON object whose fields the CLI's `--json` documents (open to additions). */
export const openObject = (id: string, description: string) => z.looseObject({}).meta({ id, description });
