import { memoizeById } from '../../core/collections.js';
import type { Finding, FindingStatus, RiskException } from '../../core/types.js';
import { findCoveringException, isExceptionActive } from '../../risk/exceptions/covering.js';
import {
  appendAuditEvent,
  type Db,
  type FindingBatchOptions,
  type FindingStatusChange,
  listExceptions,
  loadCveOfVulnerabilities,
  loadExceptedAssetIds,
  loadExceptionAssetIds,
  loadFindingBatches,
  updateFindingStatuses,
} from '../../store/index.js';

export interface ApplyExceptionsResult {
  /** Findings now excepted that were open before. */
  excepted: number;
  /** Findings whose exception lapsed or was revoked, open again. */
  reopened: number;
  /** Findings excepted after this run, in all. */
  active: number;
}

/**
 * Brings finding status in line with the exceptions in force at `now`: a covered open finding becomes
 * `excepted` (suppression `{kind: 'exception', justification, ref: id}`), an excepted finding whose
 * exception expired or was revoked is `open` again. VEX-suppressed and fixed findings are left alone:
 * VEX is a separate statement and stays so. Only the findings that can change are read: those of
 * the assets with an excepted finding and of the assets an exception in force may cover, found by
 * index (`loadExceptionAssetIds`), a batch of assets at a time; each vulnerability's CVE is looked up
 * once. Run it in a transaction: each exception that lapsed gets one audit event.
 */
export async function applyExceptions(
  db: Db,
  now: Date,
  options: FindingBatchOptions = {},
): Promise<ApplyExceptionsResult> {
  return (await applyExceptionsTracked(db, now, options)).result;
}

/** `applyExceptions`, also naming the assets whose findings it changed (their SLA is judged again). */
export async function applyExceptionsTracked(
  db: Db,
  now: Date,
  options: FindingBatchOptions = {},
): Promise<{ result: ApplyExceptionsResult; changedAssetIds: Set<string> }> {
  const exceptions = await listExceptions(db);
  const active = exceptions.filter((e) => isExceptionActive(e, now));
  // Without exceptions in force only the excepted findings can change (they are open again).
  const status: FindingStatus[] = active.length ? ['open', 'excepted'] : ['excepted'];
  const assetIds = [
    ...new Set([...(await loadExceptedAssetIds(db)), ...(await loadExceptionAssetIds(db, active))]),
  ];
  const cveOf = memoizeById((ids) => loadCveOfVulnerabilities(db, ids));
  const result: ApplyExceptionsResult = { excepted: 0, reopened: 0, active: 0 };
  const changedAssetIds = new Set<string>();
  const batches = assetIds.length ? loadFindingBatches(db, { status, assetIds }, options) : [];
  for await (const findings of batches) {
    const cves = await cveOf(findings.map((f) => f.vulnerabilityId));
    const changes: FindingStatusChange[] = [];
    for (const finding of findings) {
      const cve = cves.get(finding.vulnerabilityId);
      const covering = findCoveringException(finding, active, now, {
        vulnerabilityIds: cve ? [cve] : [],
      });
      if (covering) {
        result.active++;
        if (finding.status === 'open') result.excepted++;
        if (finding.suppression?.ref !== covering.id || finding.status !== 'excepted')
          changes.push({ id: finding.id, status: 'excepted', suppression: getSuppression(covering) });
      } else if (finding.status === 'excepted') {
        changes.push({ id: finding.id, status: 'open', suppression: null });
        result.reopened++;
      }
    }
    await updateFindingStatuses(db, changes);
    const byId = new Map(findings.map((f) => [f.id, f.assetId]));
    for (const c of changes) changedAssetIds.add(byId.get(c.id) ?? '');
  }
  await auditLapses(db, exceptions, now);
  return { result, changedAssetIds };
}

function getSuppression(e: RiskException): NonNullable<Finding['suppression']> {
  const who = e.approver ? `owner ${e.owner}, approved by ${e.approver}` : `owner ${e.owner}`;
  const control = e.compensatingControl ? `; control: ${e.compensatingControl}` : '';
  return {
    kind: 'exception',
    justification: `${e.reason} (${who}; until ${e.expiresAt.slice(0, 10)}${control})`,
    ref: e.id,
  };
}

/**
 * One `exception:lapsed` audit event per exception that reached its expiry unrevoked, written once:
 * a lapse is reported even when re-matching already reopened the findings it covered.
 */
async function auditLapses(db: Db, exceptions: readonly RiskException[], now: Date) {
  const ended = exceptions.filter(
    (e) => e.revokedAt === undefined && Date.parse(e.expiresAt) <= now.getTime(),
  );
  if (ended.length === 0) return;
  const done = await db
    .selectFrom('audit_events')
    .select('subject')
    .where('action', '=', 'exception:lapsed')
    .where(
      'subject',
      'in',
      ended.map((e) => e.id),
    )
    .execute();
  const reported = new Set(done.map((r) => r.subject));
  for (const e of ended) {
    if (reported.has(e.id)) continue;
    await appendAuditEvent(db, {
      at: now.toISOString(),
      actor: 'patchcast',
      action: 'exception:lapsed',
      subject: e.id,
      data: { expiresAt: e.expiresAt, owner: e.owner },
    });
  }
}
