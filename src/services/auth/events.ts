/**
 * Change events for the API's server-sent events. Services append one inside the transaction that
 * made the change (`recordEvent`), so the event exists exactly when the change does, on every replica.
 */
import {
  appendEvent,
  type Db,
  listEventsAfter,
  loadLastEventId,
  type StoredEvent,
} from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';

export type EventKind =
  | 'finding:changed'
  | 'plan:created'
  | 'plan:approved'
  | 'exception:requested'
  | 'exception:approved'
  | 'exception:revoked'
  | 'rollout:changed'
  | 'sync:requested';

export async function recordEvent(
  db: Db,
  event: { at: string; kind: EventKind; subject?: string; data?: Record<string, unknown> },
): Promise<number> {
  return appendEvent(db, event);
}

/**
 * Records one event in its own transaction: for a multi-step use case whose step (a re-match, a
 * refresh) commits apart from the audited change, once the step has committed. Single changes record
 * their event through `changeState` instead.
 */
export async function announce(
  deps: ServiceDeps,
  event: { kind: EventKind; subject?: string; data?: Record<string, unknown> },
): Promise<void> {
  const at = deps.clock.now().toISOString();
  await deps.store.db.transaction().execute((db) => recordEvent(db, { at, ...event }));
}

/** Events after `afterId` (at most `limit`), for a reader holding `read`. */
export async function loadEvents(deps: ServiceDeps, afterId: number, limit = 500): Promise<StoredEvent[]> {
  authorize(deps.actor, 'read');
  return listEventsAfter(deps.store.db, afterId, limit);
}

export async function loadNewestEventId(deps: ServiceDeps): Promise<number> {
  authorize(deps.actor, 'read');
  return loadLastEventId(deps.store.db);
}
