/**
 * A plan's jobs (all, one ring's, or one job) as an Ansible playbook or as shell scripts, for teams
 * that run their own tools: exact versions, the same hooks and probes, the ring's concurrency and
 * error budget as `serial` and `max_fail_percentage`.
 */
import { PatchcastError } from '../../core/errors.js';
import type { JobSpec } from '../../rollout/contract.js';
import { resolveCount } from '../../rollout/decide.js';
import { exportAnsiblePlaybook, exportShellScript } from '../../rollout/export.js';
import { makeJobSpec } from '../../rollout/job-spec.js';
import { listJobs, loadAsset } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { loadLatestPlan } from '../plan/stored-plans.js';

export interface ExportInput {
  planId?: string;
  ring?: string;
  jobId?: string;
  format: 'ansible' | 'shell';
}

/** The export's text: one playbook, or one script per job separated by a comment line. Needs `read`. */
export async function exportRollout(
  deps: ServiceDeps,
  input: ExportInput,
): Promise<{ text: string; jobs: number }> {
  authorize(deps.actor, 'read');
  const db = deps.store.db;
  const planId = input.planId ?? (await loadLatestPlan(db))?.id;
  if (!planId)
    throw new PatchcastError('STORE_NOT_FOUND', 'no stored plan to export', {
      hint: 'Make one with `patchcast plan`.',
    });
  const jobs = (await listJobs(db, { planId })).filter(
    (j) =>
      ['pending', 'ready'].includes(j.status) &&
      (!input.jobId || j.id === input.jobId) &&
      (!input.ring || j.payload?.ring === input.ring),
  );
  if (jobs.length === 0)
    throw new PatchcastError(
      'STORE_NOT_FOUND',
      `plan ${planId} has no job waiting to run${input.ring ? ` in ring ${input.ring}` : ''}${input.jobId ? ` with id ${input.jobId}` : ''}`,
      {
        hint: 'List the jobs with `patchcast rollout status --json` or `patchcast plan show`.',
        details: { planId },
      },
    );
  const specs: JobSpec[] = [];
  for (const job of jobs) {
    const asset = await loadAsset(db, job.assetId);
    if (asset) specs.push(makeJobSpec(job, asset, deps.config));
  }
  if (input.format === 'shell')
    return {
      text: specs.map((s) => `# --- ${s.jobId} on ${s.assetId}\n${exportShellScript(s)}`).join('\n'),
      jobs: specs.length,
    };
  const ring = deps.config.rings.find((r) => r.id === input.ring);
  const total = specs.length;
  const concurrency = Math.max(1, resolveCount(ring?.concurrency ?? '25%', total, 'up'));
  const errorBudget = resolveCount(ring?.errorBudget ?? 0, total, 'down');
  return {
    text: exportAnsiblePlaybook(specs, (assetId) => assetId, { concurrency, errorBudget }),
    jobs: specs.length,
  };
}
