import type { Plan, PlanAssignment } from '../plan.js';
import { describeOccurrence, formatClock, getOccurrence } from './occurrences.js';

/** Where a job is in a plan and why, or why it is not in the horizon. */
export type JobExplanation =
  | {
      jobId: string;
      assetId: string;
      scheduled: true;
      ring: string;
      windowId: string;
      occurrence: string;
      start: string;
      end: string;
      packages: string[];
      /** Patch ids (`patchcast explain <id>`); absent in plans stored before patches. */
      patches: string[];
      reasons: string[];
    }
  | { jobId: string; assetId: string; scheduled: false; ring: string; reasons: string[] };

/** Finds a job by its id (`job:web-1`) or its asset id (`web-1`); undefined when the plan has neither. */
export function getJobExplanation(plan: Plan, target: string): JobExplanation | undefined {
  const matches = (x: { jobId: string; assetId: string }) =>
    x.jobId === target || x.assetId === target || x.jobId === `job:${target}`;
  const a: PlanAssignment | undefined = plan.assignments.find(matches);
  if (a) {
    const o = getOccurrence(plan, a.slotId);
    return {
      jobId: a.jobId,
      assetId: a.assetId,
      scheduled: true,
      ring: a.ring,
      windowId: a.windowId,
      occurrence: describeOccurrence(o),
      start: a.start,
      end: a.end,
      packages: a.packages,
      patches: a.patches ?? [],
      reasons: a.reasons,
    };
  }
  const u = plan.unscheduled.find(matches);
  if (!u) return undefined;
  return { jobId: u.jobId, assetId: u.assetId, scheduled: false, ring: u.ring, reasons: [u.reason] };
}

/** The explanation as text: the headline (window, time, ring), the packages and each reason. */
export function renderJobExplanation(plan: Plan, e: JobExplanation, planId?: string): string {
  const where = planId ? ` in plan ${planId}` : '';
  if (!e.scheduled)
    return `${e.assetId} (${e.jobId})${where}: ring ${e.ring}, not in the horizon\n  why: ${e.reasons[0] ?? ''}\n`;
  const o = getOccurrence(plan, plan.assignments.find((a) => a.jobId === e.jobId)?.slotId ?? '');
  const lines = [
    `${e.assetId} (${e.jobId})${where}: ring ${e.ring}, window ${e.windowId}, ${formatClock(e.start, o.timezone)}–${formatClock(e.end, o.timezone)} ${o.timezone}`,
    `  occurrence: ${e.occurrence}`,
    `  packages: ${e.packages.join(' ') || '(none)'}`,
    ...(e.patches.length > 0 ? [`  patches: ${e.patches.join(' ')}`] : []),
    '  why:',
    ...e.reasons.map((r) => `  - ${r}`),
  ];
  return `${lines.join('\n')}\n`;
}
