import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { getDurationMinutes } from '../../config/duration.js';
import { PatchcastError } from '../../core/errors.js';
import type { Plan } from '../../planning/plan.js';
import { makePlan } from '../../planning/plan.js';
import type { FreezeConfig } from '../../planning/types.js';
import { listAssets, listFindings } from '../../store/index.js';
import { getGlobalOptions, loadCommandConfig, withStore } from '../context.js';
import { printJson, printLine } from '../output.js';

/** `patchcast plan`: optimize the patch schedule over the horizon and print it. */
export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description(
      'build the patch plan: windows, freezes, rings, capacity and SLAs, with objective, bound and gap',
    )
    .option('--horizon <duration>', 'how far ahead to plan (e.g. 30d, 2w)', '30d')
    .option('--dry-run', 'print the plan without storing it (plans are not stored yet either way)')
    .option('--time-limit <seconds>', 'solver time budget in seconds', '20')
    .option('--greedy', 'skip the MILP and use the greedy heuristic only')
    .action(async (options: { horizon: string; timeLimit: string; greedy?: boolean }, command: Command) => {
      if (!/^(\d+[mhdw])+$/.test(options.horizon)) {
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--horizon ${options.horizon} is not a duration such as 30d or 2w`,
        );
      }
      const config = loadCommandConfig(command);
      const freezes: FreezeConfig[] = config.freezes.map((f) =>
        'ics' in f ? { ...f, icsText: readIcs(f.ics) } : f,
      );
      const plan = await withStore(command, async (store) => {
        const assets = await listAssets(store.db);
        const findings = await listFindings(store.db, { status: ['open'] });
        return makePlan(
          {
            now: new Date(),
            horizonDays: getDurationMinutes(options.horizon) / 1440,
            assets: assets.map((a) => ({
              id: a.id,
              tags: a.tags,
              services: a.services,
              ...(a.windowGroup ? { windowGroup: a.windowGroup } : {}),
              ...(a.environment ? { environment: a.environment } : {}),
            })),
            findings: findings.map((f) => ({
              id: f.id,
              assetId: f.assetId,
              packageName: f.packageName,
              ...(f.targetVersion ? { targetVersion: f.targetVersion } : {}),
              ...(f.risk !== undefined ? { risk: f.risk } : {}),
              ...(f.dueDate ? { dueDate: f.dueDate } : {}),
            })),
            windows: config.windows,
            freezes,
            rings: config.rings,
          },
          {
            timeLimitSeconds: Number(options.timeLimit),
            ...(options.greedy ? { method: 'greedy' as const } : {}),
          },
        );
      });
      if (getGlobalOptions(command).json) return printJson(plan);
      printPlan(plan);
    });
}

function readIcs(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new PatchcastError('CONFIG_NOT_FOUND', `freeze calendar ${file} cannot be read`, {
      cause: error,
      details: { file },
    });
  }
}

/** A text timeline: one block per window occurrence, jobs listed by ring. */
function printPlan(plan: Plan): void {
  for (const note of plan.notes) printLine(`note: ${note}`);
  printLine(
    `plan (${plan.method}): ${plan.assignments.length} jobs scheduled, ${plan.unscheduled.length} not in the horizon; objective ${plan.objective.toFixed(1)}, bound ${plan.bound.toFixed(1)}, gap ${(plan.gap * 100).toFixed(2)}%, ${plan.solveSeconds.toFixed(2)} s`,
  );
  if (plan.anchorExposure > 0) {
    printLine(
      `expected exposure ${((plan.exposure / plan.anchorExposure) * 100).toFixed(1)}% of "first free window in SLA order"`,
    );
  }
  let slot = '';
  for (const a of plan.assignments) {
    if (a.slotId !== slot) {
      slot = a.slotId;
      printLine();
      printLine(a.reasons[0] ?? a.slotId);
    }
    printLine(
      `  ${a.start.slice(11, 16)}–${a.end.slice(11, 16)}  [${a.ring}]  ${a.assetId}  ${a.packages.join(' ')}`,
    );
  }
  if (plan.unscheduled.length > 0) {
    printLine();
    printLine('not in the horizon:');
    for (const u of plan.unscheduled) printLine(`  [${u.ring}] ${u.assetId}: ${u.reason}`);
  }
}
