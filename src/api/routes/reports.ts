import { z } from 'zod';
import { listAuditEvents } from '../../services/audit/list-audit-events.js';
import { verifyAuditLog } from '../../services/audit/verify-audit-log.js';
import { loadModelStatus, loadScoreDrift } from '../../services/model/load-model-status.js';
import { loadSlaReport } from '../../services/sla/load-sla-report.js';
import { loadSyncStatus } from '../../services/sync/load-sync-status.js';
import { defineRoute } from '../route.js';
import { auditEventSchema, limitParam, openObject } from '../schemas.js';

const slaCounts = {
  'on-track': z.number().int(),
  'due-soon': z.number().int(),
  breached: z.number().int(),
  paused: z.number().int(),
  closed: z.number().int(),
};
const slaItem = z
  .looseObject({
    findingId: z.string(),
    assetId: z.string(),
    packageName: z.string(),
    vulnerabilityId: z.string(),
    cve: z.string().nullable(),
    kev: z.boolean(),
    dueDate: z.string().nullable(),
    daysOverdue: z.number().nullable().describe('days past the due date (positive) or left (negative)'),
    rule: z.string(),
    reason: z.string(),
    exceptionId: z.string().optional(),
  })
  .meta({ id: 'SlaReportItem' });
/** As `patchcast sla --json` (src/risk/sla/sla-report.ts `SlaReport`). */
const slaReportSchema = z
  .looseObject({
    asOf: z.string(),
    totals: z.object(slaCounts),
    rules: z.array(
      z.looseObject({
        rule: z.string(),
        description: z.string().optional(),
        total: z.number().int(),
        ...slaCounts,
      }),
    ),
    breached: z.array(slaItem).describe('most overdue first'),
    dueSoon: z.array(slaItem).describe('soonest due first'),
    paused: z.array(slaItem).describe('findings whose clock an exception stops'),
  })
  .meta({ id: 'SlaReport', description: 'What is due and breached, per SLA rule' });

export const REPORT_ROUTES = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/sla',
    tag: 'reports',
    summary: 'SLA report: breached, due soon, on track, paused, per rule (as `patchcast sla --json`)',
    access: 'read',
    response: slaReportSchema,
    // As the CLI: due dates are recomputed under the current policy (and stored) before reporting.
    handler: async ({ deps }) => (await loadSlaReport(deps)).report,
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit',
    tag: 'reports',
    summary: 'Audit events after a sequence number, oldest first',
    access: 'read',
    query: z.strictObject({ after: z.coerce.number().int().min(0).default(0), limit: limitParam(100) }),
    response: z.array(auditEventSchema),
    handler: async ({ deps, query }) => listAuditEvents(deps, { afterSeq: query.after, limit: query.limit }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/verify',
    tag: 'reports',
    summary: "Re-computes the audit log's hash chain",
    access: 'read',
    response: openObject('AuditVerification', 'ok, count, brokenAt'),
    handler: async ({ deps }) => verifyAuditLog(deps),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/model/card',
    tag: 'model',
    summary: "The current exploit model's card (data window, metrics, features, backtest)",
    access: 'read',
    response: openObject('ModelCard', 'As `patchcast model card --json`'),
    handler: async ({ deps }) => (await loadModelStatus(deps)).card,
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/model/scores',
    tag: 'model',
    summary: 'The stored daily score summaries, newest first',
    access: 'read',
    query: z.strictObject({ limit: limitParam(30, 365) }),
    response: z.array(
      openObject('ScoreDay', 'day, model version, scored, percentiles, expected KEV additions'),
    ),
    handler: async ({ deps, query }) => loadScoreDrift(deps, { days: query.limit }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/sync/status',
    tag: 'sync',
    summary: 'Per source: records, newest record, last sync and outcome (as `patchcast sync status`)',
    access: 'read',
    response: z.array(
      z.object({
        source: z.string(),
        records: z.number(),
        removed: z.number().nullable(),
        newest: z.string().nullable(),
        lastSync: z.string().nullable(),
        outcome: z.string(),
        message: z.string().nullable(),
      }),
    ),
    handler: async ({ deps }) => loadSyncStatus(deps),
  }),
];
