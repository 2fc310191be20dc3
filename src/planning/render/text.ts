import type { Plan } from '../plan.js';
import { describeOccurrence, formatClock, getOccurrenceGroups } from './occurrences.js';

/** Who the plan is in the store: its id and whether it was stored (absent for a dry run). */
export interface PlanLabel {
  id?: string;
  stored?: boolean;
}

/** The plan's headline figures: jobs, objective, bound, gap, solve time, exposure and notes. */
export function renderPlanSummary(plan: Plan, label: PlanLabel = {}): string[] {
  const name = label.id ? `plan ${label.id}` : 'plan';
  const state = label.stored === undefined ? '' : label.stored ? ', stored' : ', dry run: not stored';
  const occurrences = new Set(plan.assignments.map((a) => a.slotId)).size;
  const lines = [
    `${name} (${plan.method}${state}): ${plan.assignments.length} jobs in ${occurrences} window occurrences, ${plan.unscheduled.length} not in the horizon (until ${plan.horizonEnd.slice(0, 10)})`,
    `objective ${plan.objective.toFixed(1)} risk-hours · bound ${plan.bound.toFixed(1)} · ${describeGap(plan)} · solved in ${plan.solveSeconds.toFixed(2)} s`,
  ];
  const ratios = [
    [plan.anchorExposure, 'first free window in SLA order'],
    [plan.densityBaseline?.exposure ?? 0, 'riskiest per job-minute first'],
  ] as const;
  const compared = ratios
    .filter(([exposure]) => exposure > 0 && plan.assignments.length > 0)
    .map(([exposure, rule]) => `${((plan.exposure / exposure) * 100).toFixed(1)}% of "${rule}"`);
  if (compared.length > 0) lines.push(`expected exposure ${compared.join(', ')}`);
  for (const note of plan.notes) lines.push(`note: ${note}`);
  return lines;
}

/** The gap, or why there is none to claim: no job scheduled, or a bound above the objective. */
export function describeGap(plan: Plan): string {
  if (plan.boundExceedsObjective)
    return `gap INVALID (bound above objective: ${(plan.gap * 100).toFixed(2)}%)`;
  if (plan.assignments.length === 0) return 'gap n/a (no job scheduled)';
  return `gap ${(plan.gap * 100).toFixed(2)}%`;
}

/**
 * A text timeline: one block per window occurrence (local time of its window), jobs by ring in
 * rollout order, then the jobs left out of the horizon with the reason.
 */
export function renderPlanText(plan: Plan, label: PlanLabel = {}): string {
  const lines = renderPlanSummary(plan, label);
  for (const group of getOccurrenceGroups(plan)) {
    const { occurrence: o } = group;
    lines.push('', `${describeOccurrence(o)} · ${group.jobCount} job${group.jobCount === 1 ? '' : 's'}`);
    for (const { ring, assignments } of group.rings) {
      lines.push(`  ring ${ring}`);
      for (const a of assignments) {
        const time = `${formatClock(a.start, o.timezone)}–${formatClock(a.end, o.timezone)}`;
        const patches = a.patches?.length
          ? ` (${a.patches.length} patch${a.patches.length === 1 ? '' : 'es'})`
          : '';
        lines.push(
          `    ${time}  ${a.jobId.includes('#') ? a.jobId.slice(4) : a.assetId}${patches}  ${summarizePackages(a.packages)}`.trimEnd(),
        );
      }
    }
  }
  if (plan.unscheduled.length > 0) {
    lines.push('', 'not in the horizon:');
    for (const u of plan.unscheduled) lines.push(`  [${u.ring}] ${u.assetId}: ${u.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A job's packages in one readable line: the first few, then how many more (`plan show --json` has all). */
export function summarizePackages(packages: readonly string[], shown = 4): string {
  if (packages.length <= shown) return packages.join(' ');
  return `${packages.slice(0, shown).join(' ')} … (+${packages.length - shown} more)`;
}
