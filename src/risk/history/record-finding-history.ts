import type { Finding, FindingStatus } from '../../core/types.js';
import {
  type Db,
  type FindingBatchOptions,
  type FindingDayState,
  loadFindingBatches,
  loadLatestFindingStates,
  upsertFindingHistory,
} from '../../store/index.js';
import { diffDays } from '../sla/dates.js';
import { makeKevLookup } from '../sla/load-sla-contexts.js';
import { makeFindingDayState } from '../sla/make-finding-day-state.js';
import { DEFAULT_WARN_DAYS } from '../sla/types.js';

/**
 * Records every finding's state for `day` (`YYYY-MM-DD`): status, risk and due date as stored now.
 * A row the SLA step already wrote that day keeps its SLA state and rule; otherwise the state is
 * judged from the stored due date. Fixed findings are recorded once, on the day patchcast first sees
 * them fixed, so the history says when each finding closed without repeating it every day after.
 * A batch of assets at a time; each vulnerability's KEV listing is looked up once.
 */
export async function recordFindingHistory(
  db: Db,
  day: string,
  options: FindingBatchOptions = {},
): Promise<{ recorded: number }> {
  const isKev = makeKevLookup(db, new Date(`${day}T23:59:59.999Z`));
  let recorded = 0;
  const status: FindingStatus[] = ['open', 'excepted', 'suppressed', 'fixed'];
  for await (const batch of loadFindingBatches(db, { status }, options)) {
    const live = batch.filter((f) => f.status !== 'fixed');
    const findings = [...live, ...(await getNewlyFixed(db, day, batch))];
    const kev = await isKev(findings);
    const states = findings.map((f) => getDerivedState(f, day, kev.has(f.id)));
    await upsertFindingHistory(db, states, { keepSla: true });
    recorded += states.length;
  }
  return { recorded };
}

/** The fixed findings whose last recorded state before `day` was not fixed, or was recorded that day. */
async function getNewlyFixed(db: Db, day: string, batch: readonly Finding[]): Promise<Finding[]> {
  const fixed = batch.filter((f) => f.status === 'fixed');
  const last = await loadLatestFindingStates(
    db,
    day,
    fixed.map((f) => f.id),
  );
  return fixed.filter((f) => {
    const previous = last.get(f.id);
    return previous !== undefined && (previous.status !== 'fixed' || previous.day === day);
  });
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
