import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import type { RolloutStatusView } from '../../services/rollout/load-rollout-status.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

/** `patchcast rollout start|approve|status|pause|resume|abort|retry|job`: carry a stored plan out. */
export function registerRolloutCommand(program: Command): void {
  const rollout = program
    .command('rollout')
    .description(
      'carry a stored plan out ring by ring: start, approve rings, status, pause, resume, abort, retry a job (the controller does the work: `patchcast controller` or `patchcast serve`)',
    );

  rollout
    .command('start [plan-id]')
    .description(
      'start rolling out a plan (default: the latest); --approve (approver) approves a draft plan and the rings marked approval: required',
    )
    .option('--approve', 'approve the plan and its approval-required rings as you start it')
    .option(
      '--now',
      'an emergency change (approver): start the jobs now, not at their maintenance windows; rings, gates and budgets still hold',
    )
    .action(
      async (planId: string | undefined, options: { approve?: boolean; now?: boolean }, command: Command) => {
        const { startRollout } = await import('../../services/rollout/control-rollout.js');
        const { auditEvent: _a, ...started } = await withServices(command, (deps) =>
          startRollout(deps, {
            ...(planId ? { planId } : {}),
            ...(options.approve ? { approve: true } : {}),
            ...(options.now ? { now: true } : {}),
          }),
        );
        if (getGlobalOptions(command).json) return printJson(started);
        printLine(`Rollout of ${started.planId} started${started.planApproved ? ' (plan approved)' : ''}.`);
        if (started.movedToNow > 0)
          printLine(`Emergency change: ${started.movedToNow} job(s) start now, not at their windows.`);
        if (started.approvedRings.length > 0)
          printLine(`Approved rings: ${started.approvedRings.join(', ')}.`);
        if (started.awaitingApproval.length > 0)
          printLine(
            `Waiting for an approver: ${started.awaitingApproval.join(', ')} (\`patchcast rollout approve\`).`,
          );
        printLine('The controller carries it out: `patchcast controller` (or `patchcast serve`).');
      },
    );

  rollout
    .command('approve [plan-id]')
    .description('approve the rings of a rollout marked approval: required (approver)')
    .option('--ring <ring>', 'only this ring')
    .action(async (planId: string | undefined, options: { ring?: string }, command: Command) => {
      const { approveRollout } = await import('../../services/rollout/control-rollout.js');
      const { auditEvent: _a, ...approved } = await withServices(command, (deps) =>
        approveRollout(deps, {
          ...(planId ? { planId } : {}),
          ...(options.ring ? { ring: options.ring } : {}),
        }),
      );
      if (getGlobalOptions(command).json) return printJson(approved);
      printLine(`Approved ${approved.approvedRings.join(', ')} of ${approved.planId}.`);
    });

  rollout
    .command('status [plan-id]')
    .description(
      'the rollout: each wave with its gate (failures against the error budget, concurrency, soak) and each job with its step',
    )
    .option('--watch [seconds]', 'print again every few seconds (default 5) until the rollout ends')
    .action(async (planId: string | undefined, options: { watch?: boolean | string }, command: Command) => {
      const { loadRolloutStatus } = await import('../../services/rollout/load-rollout-status.js');
      const json = getGlobalOptions(command).json;
      const seconds = options.watch === undefined ? 0 : options.watch === true ? 5 : Number(options.watch);
      for (;;) {
        const status = await withServices(command, (deps) =>
          loadRolloutStatus(deps, planId ? { planId } : {}),
        );
        if (json) printJson(status);
        else printStatus(status);
        if (!seconds || ['done', 'aborted'].includes(status.status)) return;
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      }
    });

  for (const [verb, description] of [
    ['pause', 'pause a running rollout: nothing new starts; jobs already running finish'],
    ['resume', 'resume a paused rollout, or a halted one (approver)'],
    ['abort', 'abort a rollout: jobs not started are cancelled; running jobs finish or roll back'],
  ] as const) {
    rollout
      .command(`${verb} [plan-id]`)
      .description(description)
      .option('--reason <text>', 'why (kept in the audit log)')
      .action(async (planId: string | undefined, options: { reason?: string }, command: Command) => {
        const services = await import('../../services/rollout/control-rollout.js');
        const input = {
          ...(planId ? { planId } : {}),
          ...(options.reason ? { reason: options.reason } : {}),
        };
        const { auditEvent: _a, ...result } = await withServices(command, (deps) =>
          verb === 'pause'
            ? services.pauseRollout(deps, input)
            : verb === 'resume'
              ? services.resumeRollout(deps, input)
              : services.abortRollout(deps, input),
        );
        if (getGlobalOptions(command).json) return printJson(result);
        printLine(`Rollout ${result.planId} is ${result.status}.`);
      });
  }

  rollout
    .command('retry <job-id>')
    .description('put a failed, rolled-back or missed job back in its wave')
    .action(async (jobId: string, _options: unknown, command: Command) => {
      const { retryJob } = await import('../../services/rollout/control-rollout.js');
      const { auditEvent: _a, ...result } = await withServices(command, (deps) => retryJob(deps, { jobId }));
      if (getGlobalOptions(command).json) return printJson(result);
      printLine(`Job ${result.jobId} (was ${result.was}) is pending again.`);
    });

  rollout
    .command('export [plan-id]')
    .description(
      'the jobs waiting to run as an Ansible playbook or shell scripts (exact versions, hooks, probes), for teams that run their own tools',
    )
    .option('--format <format>', 'ansible or shell', 'ansible')
    .option(
      '--ring <ring>',
      'only this ring (its concurrency and error budget become serial and max_fail_percentage)',
    )
    .option('--job <job-id>', 'only this job')
    .action(
      async (
        planId: string | undefined,
        options: { format: string; ring?: string; job?: string },
        command: Command,
      ) => {
        if (options.format !== 'ansible' && options.format !== 'shell')
          throw new PatchcastError(
            'USAGE_INVALID_ARGUMENT',
            `--format ${options.format}: use ansible or shell`,
          );
        const format = options.format;
        const { exportRollout } = await import('../../services/rollout/export-rollout.js');
        const { text } = await withServices(command, (deps) =>
          exportRollout(deps, {
            format,
            ...(planId ? { planId } : {}),
            ...(options.ring ? { ring: options.ring } : {}),
            ...(options.job ? { jobId: options.job } : {}),
          }),
        );
        process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      },
    );

  rollout
    .command('job <job-id>')
    .description('one job: its state and each step it ran (start, end, outcome, output excerpt)')
    .action(async (jobId: string, _options: unknown, command: Command) => {
      const { loadJobDetail } = await import('../../services/rollout/load-rollout-status.js');
      const { describePreflightFacts, getPreflightFacts } = await import(
        '../../services/rollout/release-notes-prediction.js'
      );
      const detail = await withServices(command, (deps) => loadJobDetail(deps, { jobId }));
      if (getGlobalOptions(command).json) return printJson(detail);
      const { job } = detail;
      printLine(
        `${job.id} on ${job.assetId}: ${job.status}${job.step ? ` (step ${job.step})` : ''}, attempt ${job.attempts}`,
      );
      if (job.lastError) printLine(`Last error: ${job.lastError}`);
      if (job.previousVersions)
        printLine(
          `Recorded before apply: ${job.previousVersions.map((p) => `${p.name} ${p.version ?? '(not installed)'}`).join(', ')}`,
        );
      for (const event of detail.events) {
        const data = event.data ?? {};
        const outcome = typeof data.outcome === 'string' ? ` ${data.outcome}` : '';
        printLine(`  ${event.at}  ${event.kind}${outcome}`);
        if (typeof data.excerpt === 'string' && data.excerpt.trim())
          for (const line of data.excerpt.trim().split('\n').slice(-6)) printLine(`      ${line}`);
        if (event.kind === 'step:preflight')
          for (const line of describePreflightFacts(getPreflightFacts(data))) printLine(`    ${line}`);
      }
    });
}

function printStatus(status: RolloutStatusView): void {
  printLine(
    `Rollout ${status.planId}: ${status.status} (started by ${status.startedBy} at ${status.startedAt})`,
  );
  if (status.reason) printLine(`Reason: ${status.reason}`);
  printTable(
    status.waves.map((w) => ({
      ring: w.ring,
      wave: w.status + (w.soakUntil && w.status === 'soaking' ? ` until ${w.soakUntil}` : ''),
      jobs: w.jobs,
      done: w.counts.succeeded ?? 0,
      running: w.running,
      failed: w.failures,
      budget: w.errorBudget,
      concurrency: w.concurrency,
      approval: w.approval === 'required' ? (w.approvedBy ? `by ${w.approvedBy}` : 'waiting') : 'auto',
    })),
  );
  if (status.patches.length > 0) {
    printLine('');
    printLine(
      "What the fleet learned (failure posterior per patch, 90% interval; prior: the planner's estimate):",
    );
    printTable(
      status.patches.map((p) => ({
        patch: p.key,
        'P(fail)': `${(p.mean * 100).toFixed(1)}%`,
        interval: `${(p.lower * 100).toFixed(1)}–${(p.upper * 100).toFixed(1)}%`,
        outcomes: p.outcomes,
        gate: p.halt ? 'stops the next ring' : p.risky ? 'risky: longer soak' : 'ok',
      })),
    );
  }
  const notable = status.jobs.filter((j) => j.status !== 'pending' && j.status !== 'succeeded');
  if (notable.length > 0) {
    printLine('');
    printTable(
      notable.map((j) => ({
        job: j.id,
        asset: j.assetId,
        status: j.status,
        step: j.step ?? '',
        tries: j.attempts,
        'P(fail)': formatJobFailure(j),
        'last error': (j.lastError ?? '').slice(0, 80),
      })),
    );
  }
}

/** The planner's P(fail), and where the release notes moved it. */
function formatJobFailure(job: RolloutStatusView['jobs'][number]): string {
  const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
  const moved = job.prediction && job.prediction.after !== job.prediction.before ? job.prediction : undefined;
  if (moved) return `${pct(moved.before)} → ${pct(moved.after)} (notes)`;
  return job.failureProbability === undefined ? '' : pct(job.failureProbability);
}
