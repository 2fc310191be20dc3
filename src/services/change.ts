/**
 * How a service changes state: it checks the actor's permission, then runs the change and its audit
 * event in one transaction, so a change is never stored without the record of who made it.
 */
import type { AuditEvent } from '../core/types.js';
import { appendAuditEvent, type Db } from '../store/index.js';
import { type EventKind, recordEvent } from './auth/events.js';
import { authorize, type Permission } from './authz.js';
import type { ServiceDeps } from './deps.js';

/** What the audit log records about one change; the actor and time come from `deps`. */
export interface AuditRecord {
  /** `noun:verb`, e.g. `exception:add`. */
  action: string;
  subject?: string;
  data?: Record<string, unknown>;
}

/** What the change announces to the API's server-sent events (every replica reads them from the store). */
export interface ChangeEvent {
  kind: EventKind;
  subject?: string;
  data?: Record<string, unknown>;
}

/** The change's result, the audit record that describes it and, optionally, the event that announces it. */
export interface Changed<T> {
  result: T;
  audit: AuditRecord;
  event?: ChangeEvent;
}

/**
 * Authorizes `permission`, then runs `change` and appends its audit event (actor `deps.actor.id`,
 * time `at`) and the change event it announces, if any, in one transaction: a failure anywhere leaves
 * the store as it was, and an event exists exactly when its change does, whichever door made it.
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
    if (changed.event) await recordEvent(db, { at: at.toISOString(), ...changed.event });
    return { result: changed.result, auditEvent: event };
  });
  deps.logger.info(
    { action: auditEvent.action, subject: auditEvent.subject, actor: deps.actor.id },
    'audited',
  );
  return { ...result, auditEvent };
}
