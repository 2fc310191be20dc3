import type { Finding } from '../../core/types.js';
import {
  type Db,
  type FindingDayState,
  listFindings,
  loadFindingStatesAsOf,
  upsertFindingHistory,
} from '../../store/index.js';
import { diffDays } from '../sla/dates.js';
import { loadKevFindingIds } from '../sla/load-sla-contexts.js';
import { makeFindingDayState } from '../sla/make-finding-day-state.js';
import { DEFAULT_WARN_DAYS } from '../sla/types.js';

/**
 * Records every finding's state for `day` (`YYYY-MM-DD`): status, risk and due date as stored now.
 * A row the SLA step already wrote that day keeps its SLA state and rule; otherwise the state is
 * judged from the stored due date. Fixed findings are recorded once, on the day patchcast first sees
 * them fixed, so the history says when each finding closed without repeating it every day after.
 */
export async function recordFindingHistory(db: Db, day: string): Promise<{ recorded: number }> {
  const live = await listFindings(db, { status: ['open', 'excepted', 'suppressed'] });
  const fixed = await listFindings(db, { status: ['fixed'] });
  const last = new Map(
    (
      await loadFindingStatesAsOf(
        db,
        day,
        fixed.map((f) => f.id),
      )
    ).map((s) => [s.findingId, s]),
  );
  const newlyFixed = fixed.filter((f) => {
    const previous = last.get(f.id);
    return previous !== undefined && (previous.status !== 'fixed' || previous.day === day);
  });
  const findings = [...live, ...newlyFixed];
  const now = new Date(`${day}T23:59:59.999Z`);
  const kev = await loadKevFindingIds(db, findings, now);
  const states = findings.map((f) => getDerivedState(f, day, kev.has(f.id)));
  await upsertFindingHistory(db, states, { keepSla: true });
  return { recorded: states.length };
}

/** The state of a finding for `day` from its stored columns, when no SLA computation recorded one. */
function getDerivedState(f: Finding, day: string, kev: boolean): FindingDayState {
  const sla = { dueDate: f.dueDate ?? null, slaState: getStoredSlaState(f, day), slaRule: null };
  return makeFindingDayState(f, day, sla, kev);
}

function getStoredSlaState(f: Finding, day: string): string {
  if (f.status === 'fixed' || f.status === 'suppressed') return 'closed';
  if (f.status === 'excepted') return 'paused';
  if (!f.dueDate) return 'on-track';
  const left = diffDays(day, f.dueDate);
  if (left < 0) return 'breached';
  return left <= DEFAULT_WARN_DAYS ? 'due-soon' : 'on-track';
}
