/**
 * How a service changes state: it checks the actor's permission, then runs the change and its audit
 * event in one transaction, so a change is never stored without the record of who made it.
 */
import type { AuditEvent } from '../core/types.js';
import { appendAuditEvent, type Db } from '../store/index.js';
import { authorize, type Permission } from './authz.js';
import type { ServiceDeps } from './deps.js';

/** What the audit log records about one change; the actor and time come from `deps`. */
export interface AuditRecord {
  /** `noun:verb`, e.g. `exception:add`. */
  action: string;
  subject?: string;
  data?: Record<string, unknown>;
}

/** The change's result and the audit record that describes it. */
export interface Changed<T> {
  result: T;
  audit: AuditRecord;
}

/**
 * Authorizes `permission`, then runs `change` and appends its audit event (actor `deps.actor.id`,
 * time `at`) in one transaction: a failure anywhere leaves the store as it was.
 */
export async function changeState<T>(
  deps: ServiceDeps,
  permission: Permission,
  change: (db: Db, at: Date) => Promise<Changed<T>>,
): Promise<T & { auditEvent: AuditEvent }> {
  authorize(deps.actor, permission);
  const at = deps.clock.now();
  const { result, auditEvent } = await deps.store.db.transaction().execute(async (db) => {
    const changed = await change(db, at);
    const event = await appendAuditEvent(db, {
      at: at.toISOString(),
      actor: deps.actor.id,
      ...changed.audit,
    });
    return { result: changed.result, auditEvent: event };
  });
  deps.logger.info(
    { action: auditEvent.action, subject: auditEvent.subject, actor: deps.actor.id },
    'audited',
  );
  return { ...result, auditEvent };
}
