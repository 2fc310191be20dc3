import { z } from 'zod';
import { FEED_SOURCES } from '../../feeds/index.js';
import { loadCurrentExploitModel } from '../../pipeline/exploit-model-registry.js';
import { loadAsOf } from '../../risk/as-of.js';
import { applyPolicies, getSlaRules, makeSlaReportBuilder } from '../../risk/sla/index.js';
import {
  countKevEntries,
  listAuditEvents,
  listFeedStates,
  listScoreDays,
  verifyAuditChain,
} from '../../store/index.js';
import { defineRoute } from '../route.js';
import { auditEventSchema, limitParam, openObject } from '../schemas.js';

export const REPORT_ROUTES = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/sla',
    tag: 'reports',
    summary: 'SLA report: breached, due soon, on track, paused, per rule (as `patchcast sla --json`)',
    access: 'read',
    response: openObject('SlaReport', 'asOf, totals, rules, breached, dueSoon, paused'),
    handler: async ({ deps }) => {
      // As the CLI: due dates are recomputed under the current policy (and stored) before reporting.
      const now = (await loadAsOf(deps.store.db)).instant;
      const builder = makeSlaReportBuilder(getSlaRules(deps.config.policies.sla), now, {});
      await deps.store.db
        .transaction()
        .execute((db) => applyPolicies(db, now, deps.config.policies, { onEntries: (e) => builder.add(e) }));
      return builder.finish();
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit',
    tag: 'reports',
    summary: 'Audit events after a sequence number, oldest first',
    access: 'read',
    query: z.strictObject({ after: z.coerce.number().int().min(0).default(0), limit: limitParam(100) }),
    response: z.array(auditEventSchema),
    handler: async ({ deps, query }) =>
      listAuditEvents(deps.store.db, { afterSeq: query.after, limit: query.limit }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/verify',
    tag: 'reports',
    summary: "Re-computes the audit log's hash chain",
    access: 'read',
    response: openObject('AuditVerification', 'ok, count, brokenAt'),
    handler: async ({ deps }) => verifyAuditChain(deps.store.db),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/model/card',
    tag: 'model',
    summary: "The current exploit model's card (data window, metrics, features, backtest)",
    access: 'read',
    response: openObject('ModelCard', 'As `patchcast model card --json`'),
    handler: async ({ deps }) =>
      (await loadCurrentExploitModel(deps.store.db, deps.clock.now())).artifact.card,
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
    handler: async ({ deps, query }) => listScoreDays(deps.store.db, query.limit),
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
    handler: async ({ deps }) => {
      const states = await listFeedStates(deps.store.db);
      const kev = await countKevEntries(deps.store.db);
      return FEED_SOURCES.map((source) => {
        const s = states.find((x) => x.source === source.id);
        return {
          source: source.id,
          records: s?.records ?? 0,
          removed: source.id === 'kev' ? kev.removed : null,
          newest: s?.newest ?? null,
          lastSync: s?.lastSync ?? null,
          outcome: s?.outcome ?? 'never',
          message: s?.message ?? null,
        };
      });
    },
  }),
];
