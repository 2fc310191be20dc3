import type { Plan } from '../plan.js';
import type { PlanDiff } from '../replan.js';
import { getOccurrence } from './occurrences.js';

/** One job's change between two plans, with the windows it left and entered. */
export interface PlanChange {
  kind: 'added' | 'removed' | 'moved';
  jobId: string;
  assetId: string;
  ring: string;
  /** `window · start` before and after (absent for added / removed jobs). */
  from?: string;
  to?: string;
}

/** `weekly-tuesday 2026-05-05 02:00 UTC` for a slot of a plan. */
function describeSlot(plan: Plan, slotId: string): string {
  const o = getOccurrence(plan, slotId);
  return `${o.windowId} ${o.start.slice(0, 16).replace('T', ' ')} UTC`;
}

/** The diff's jobs with their assets, rings and from → to windows, in the order added, moved, removed. */
export function getPlanChanges(before: Plan, after: Plan, diff: PlanDiff): PlanChange[] {
  const old = new Map(before.assignments.map((a) => [a.jobId, a]));
  const now = new Map(after.assignments.map((a) => [a.jobId, a]));
  const changes: PlanChange[] = [];
  for (const jobId of diff.added) {
    const a = now.get(jobId);
    if (a)
      changes.push({
        kind: 'added',
        jobId,
        assetId: a.assetId,
        ring: a.ring,
        to: describeSlot(after, a.slotId),
      });
  }
  for (const m of diff.moved) {
    const a = now.get(m.jobId);
    changes.push({
      kind: 'moved',
      jobId: m.jobId,
      assetId: a?.assetId ?? m.jobId,
      ring: a?.ring ?? '',
      from: describeSlot(before, m.fromSlot),
      to: describeSlot(after, m.toSlot),
    });
  }
  for (const jobId of diff.removed) {
    const b = old.get(jobId);
    if (!b) continue;
    const left = after.unscheduled.find((u) => u.jobId === jobId);
    changes.push({
      kind: 'removed',
      jobId,
      assetId: b.assetId,
      ring: b.ring,
      from: describeSlot(before, b.slotId),
      ...(left ? { to: `not in the horizon: ${left.reason}` } : {}),
    });
  }
  return changes;
}

/** The diff as text: a count line, then `+` added, `~` moved (from → to), `-` removed. */
export function renderPlanDiffText(
  beforeId: string,
  afterId: string,
  diff: PlanDiff,
  changes: readonly PlanChange[],
): string {
  const lines = [
    `${beforeId} → ${afterId}: ${diff.added.length} added, ${diff.moved.length} moved, ${diff.removed.length} removed, ${diff.unchanged} unchanged`,
  ];
  for (const c of changes) {
    if (c.kind === 'added') lines.push(`+ ${c.assetId} [${c.ring}]  ${c.to}`);
    else if (c.kind === 'moved') lines.push(`~ ${c.assetId} [${c.ring}]  ${c.from} → ${c.to}`);
    else lines.push(`- ${c.assetId} [${c.ring}]  was ${c.from}${c.to ? `; now ${c.to}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
