import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine } from '../output.js';

/** `patchcast controller`: the rollout controller on its own (also inside `patchcast serve --controller`). */
export function registerControllerCommand(program: Command): void {
  program
    .command('controller')
    .description(
      'run the rollout controller: reconcile running rollouts (release jobs, gates, soak, promotion) and run the jobs of SSH and local hosts, until interrupted',
    )
    .option(
      '--until-idle',
      'return once no rollout has anything left to do now (every rollout over, or waiting for a soak, a window or an approver)',
    )
    .option('--tick <ms>', 'milliseconds between reconciles (default: rollout.tick)')
    .action(async (options: { untilIdle?: boolean; tick?: string }, command: Command) => {
      const tickMs = options.tick === undefined ? undefined : Number(options.tick);
      if (tickMs !== undefined && !(Number.isInteger(tickMs) && tickMs >= 0))
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--tick ${options.tick} is not a whole number of milliseconds`,
        );
      const { runController } = await import('../../services/rollout/run-controller.js');
      const json = getGlobalOptions(command).json;
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await withServices(command, (deps) =>
          runController(
            { ...deps, actor: { kind: 'system', id: 'system:controller', role: 'admin' } },
            {
              signal: controller.signal,
              ...(options.untilIdle ? { untilIdle: true } : {}),
              ...(tickMs !== undefined ? { tickMs } : {}),
              onTick: (tick, inFlight) => {
                for (const action of tick.actions.filter((a) => a.applied)) {
                  if (json) printJson({ at: tick.at, ...action });
                  else printLine(`${tick.at} ${action.planId} ${describe(action)}`);
                }
                if (tick.missed.length > 0 && !json)
                  printLine(
                    `${tick.at} ${tick.missed.length} job(s) missed their window and go back to the planner`,
                  );
                if (inFlight > 0 && json) printJson({ at: tick.at, inFlight });
              },
            },
          ),
        );
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}

function describe(action: { kind: string; ring?: string } & Record<string, unknown>): string {
  switch (action.kind) {
    case 'release':
      return `${action.ring}: released jobs (running ${action.running}, concurrency ${action.concurrency})`;
    case 'halt':
      return `${action.ring}: halted: ${action.reason}`;
    case 'soak':
      return `${action.ring}: all jobs over (${action.failures} failed, budget ${action.budget}); soaking until ${action.until}`;
    case 'promote':
      return `${action.ring}: gate passed (${action.failures} failed of ${action.jobs}, budget ${action.budget}); promoted`;
    case 'await-approval':
      return `${action.ring}: waiting for an approver${action.reason ? ` (${action.reason})` : ''}`;
    case 'start-wave':
      return `${action.ring}: started`;
    case 'finish':
      return `rollout done: ${action.succeeded} succeeded, ${action.failed} failed, ${action.missed} missed`;
    default:
      return action.kind;
  }
}
