import type { Finding, RiskException } from '../../core/types.js';
import {
  appendAuditEvent,
  type Db,
  listExceptions,
  listFindings,
  loadCveOfVulnerabilities,
} from '../../store/index.js';
import { findCoveringException } from './covering.js';

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
 * VEX is a separate statement and stays so. Run it in a transaction: each exception that
 * lapsed gets one audit event.
 */
export async function applyExceptions(db: Db, now: Date): Promise<ApplyExceptionsResult> {
  const exceptions = await listExceptions(db);
  const findings = await listFindings(db, { status: ['open', 'excepted'] });
  const candidates = exceptions.length ? findings : findings.filter((f) => f.status === 'excepted');
  const cveOf = await loadCveOfVulnerabilities(db, [...new Set(candidates.map((f) => f.vulnerabilityId))]);
  const result: ApplyExceptionsResult = { excepted: 0, reopened: 0, active: 0 };
  for (const finding of candidates) {
    const cve = cveOf.get(finding.vulnerabilityId);
    const covering = findCoveringException(finding, exceptions, now, { vulnerabilityIds: cve ? [cve] : [] });
    if (covering) {
      result.active++;
      if (finding.status === 'open') result.excepted++;
      if (finding.suppression?.ref !== covering.id || finding.status !== 'excepted')
        await setStatus(db, finding.id, 'excepted', getSuppression(covering));
    } else if (finding.status === 'excepted') {
      await setStatus(db, finding.id, 'open', null);
      result.reopened++;
    }
  }
  await auditLapses(db, exceptions, now);
  return result;
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

async function setStatus(
  db: Db,
  id: string,
  status: 'open' | 'excepted',
  suppression: Finding['suppression'] | null,
) {
  await db
    .updateTable('findings')
    .set({ status, suppression: suppression ? JSON.stringify(suppression) : null })
    .where('id', '=', id)
    .execute();
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
