import { DEFAULT_FAILURE_PROBABILITY } from './jobs.js';
import type { PlanModel } from './model.js';
import type { PatchJob, PlanProblem } from './types.js';

/** Plain-words reasons for a plan: where each job is and why, or why it is not in the horizon. */

const describeSlot = (problem: PlanProblem, s: number): string => {
  const slot = problem.slots[s];
  if (!slot) return 'no window';
  const day = slot.start.toLocaleDateString('en-GB', { weekday: 'short', timeZone: slot.timezone });
  const time = slot.start.toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: slot.timezone,
  });
  return `window ${slot.windowId} (${day} ${slot.start.toISOString().slice(0, 10)} ${time} ${slot.timezone})`;
};

/** Plain-words reasons: which window, why not earlier (ring soak, freeze, capacity, dependency). */
export function getReasons(model: PlanModel, placement: Int32Array, j: number, started: boolean): string[] {
  const { problem } = model;
  const job = problem.jobs[j];
  const s = placement[j] ?? -1;
  const slot = problem.slots[s];
  if (!job || !slot) return [];
  const reasons = [`${describeSlot(problem, s)} — serves group ${job.group}`];
  if (started) reasons.push('already started: kept in place on re-plan');
  const earlier = (model.eligible[j] ?? []).filter((e) => (model.startH[e] ?? 0) < (model.startH[s] ?? 0));
  if (earlier.length === 0) reasons.push('the earliest window open to this group in the horizon');
  if (job.ring > 0) {
    const prev = problem.rings[job.ring - 1];
    reasons.push(
      `ring ${problem.rings[job.ring]?.id}: starts after ring ${prev?.id} ends plus its ${Math.round(prev?.soakMinutes ?? 0) / 60} h soak`,
    );
  }
  for (const f of problem.frozen) {
    if (
      f.start < slot.start &&
      f.start >= problem.now &&
      (f.groups.includes(job.group) || f.groups.includes('*'))
    ) {
      reasons.push(`${f.windowId} on ${f.start.toISOString().slice(0, 10)} frozen by '${f.freezeId}'`);
    }
  }
  if (earlier.length > 0 && job.ring === 0)
    reasons.push(`${earlier.length} earlier window(s) full or held for riskier jobs`);
  reasons.push(
    `risk rate ${job.riskRate.toFixed(2)}/h over ${job.durationMinutes} min${job.reboot ? ', needs a reboot' : ''}`,
  );
  if (job.dueDate)
    reasons.push(
      job.dueDate.getTime() >= slot.start.getTime() + job.durationMinutes * 60_000
        ? `within SLA (due ${job.dueDate.toISOString().slice(0, 10)})`
        : `SLA breached (due ${job.dueDate.toISOString().slice(0, 10)})`,
    );
  reasons.push(describeFailure(job));
  return reasons;
}

export function getUnscheduledReason(model: PlanModel, j: number): string {
  const { problem } = model;
  const job = problem.jobs[j];
  if (!job) return 'unknown job';
  if ((model.eligible[j]?.length ?? 0) > 0)
    return 'no capacity left in its windows after ring order and soak, or an earlier ring cannot finish in the horizon';
  const serving = problem.slots.filter(
    (s) => s.start >= problem.now && (s.groups.includes(job.group) || s.groups.includes('*')),
  );
  if (serving.length === 0)
    return `no window occurrence serves group ${job.group} in the horizon (or all are frozen)`;
  const longest = Math.max(...serving.map((s) => (s.lastStart.getTime() - s.start.getTime()) / 60_000));
  const what =
    job.patches.length === 1 ? `its one patch ${job.patches[0]?.id}` : `${job.patches.length} patches`;
  return `too long for any window: ${job.durationMinutes} min (${what}, ${job.packages.length} packages${job.reboot ? ', reboot' : ''}) but the longest window of group ${job.group} takes ${Math.round(longest)} min before its cutoff; lengthen a window or raise its cutoff`;
}

/** The failure estimate in words, saying whether the reliability model or the default rate gave it. */
export function describeFailure(job: PatchJob): string {
  const p = `P(fail) ${(job.failureProbability * 100).toFixed(1)}%`;
  const rate = `default rate ${(DEFAULT_FAILURE_PROBABILITY * 100).toFixed(0)}% per package`;
  const source =
    job.failureSource === 'model'
      ? 'from the patch-reliability model'
      : job.failureSource === 'mixed'
        ? `from the patch-reliability model where it scores a patch, else the ${rate}`
        : `${rate} (no reliability score)`;
  return `${p} ${source}${job.failureProbability > 0.2 ? ': risky, its ring soaks longer' : ''}`;
}
