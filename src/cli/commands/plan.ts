import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { getDurationMinutes } from '../../config/duration.js';
import { PatchcastError } from '../../core/errors.js';
import type { Plan } from '../../planning/plan.js';
import { getPlanChanges, renderPlanDiffText } from '../../planning/render/diff.js';
import { renderJobExplanation } from '../../planning/render/explain.js';
import { renderPlanHtml } from '../../planning/render/html.js';
import { renderPlanIcs } from '../../planning/render/ics.js';
import { type PlanLabel, renderPlanText } from '../../planning/render/text.js';
import { approvePlan } from '../../services/plan/approve-plan.js';
import { diffPlans, explainPlanJob, listPlans, loadPlan } from '../../services/plan/load-plan.js';
import { makePlan } from '../../services/plan/make-plan.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

const FORMATS = ['text', 'json', 'html', 'ics'] as const;
type Format = (typeof FORMATS)[number];

interface PlanOptions {
  horizon: string;
  timeLimit: string;
  greedy?: boolean;
  dryRun?: boolean;
  format?: string;
  out?: string;
}

/** `patchcast plan`: optimize, store and print the patch plan; `plan show|approve|list|diff|explain`. */
export function registerPlanCommand(program: Command): void {
  const plan = program
    .command('plan')
    .description(
      'build and store the patch plan (windows, freezes, rings, capacity, SLAs; objective, bound and gap); re-planning keeps started jobs in place and prints the diff',
    )
    .option('--horizon <duration>', 'how far ahead to plan (e.g. 30d, 2w)', '30d')
    .option('--dry-run', 'print the plan (and its diff against the stored one) without storing it')
    .option('--time-limit <seconds>', 'solver time budget in seconds', '20')
    .option('--greedy', 'skip the MILP and use the greedy heuristic only')
    .option(
      '--format <format>',
      'text, json, html (Gantt chart) or ics (calendar); html and ics export the latest stored plan without re-planning (with --dry-run: a fresh plan, not stored); also for show',
      'text',
    )
    .option('--out <file>', 'write the plan to this file instead of standard output; also for show')
    .action(async (options: PlanOptions, command: Command) => {
      const format = getFormat(command);
      if (isExport(format) && !options.dryRun) return exportLatest(command, format);
      const horizonDays = getHorizonDays(options.horizon);
      const timeLimitSeconds = Number(options.timeLimit);
      if (!(timeLimitSeconds > 0))
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--time-limit ${options.timeLimit} is not a positive number`,
        );
      const run = await withServices(command, (deps) =>
        makePlan(deps, {
          horizonDays,
          ...(options.dryRun ? { dryRun: true } : {}),
          solve: { timeLimitSeconds, ...(options.greedy ? { method: 'greedy' as const } : {}) },
        }),
      );
      const label: PlanLabel = { stored: run.stored, ...(run.id ? { id: run.id } : {}) };
      const changes = run.previous && run.diff ? getPlanChanges(run.previous.plan, run.plan, run.diff) : [];
      if (format === 'json') {
        return emit(command, format, label, {
          id: run.id ?? null,
          stored: run.stored,
          previousId: run.previous?.id ?? null,
          ...run.plan,
          kept: run.kept,
          ...(run.diff ? { diff: run.diff, changes } : {}),
        });
      }
      if (format !== 'text') return emit(command, format, label, run.plan);
      let text = renderPlanText(run.plan, label);
      if (run.previous && run.diff) {
        text += `\nchanges since ${run.previous.id}${run.kept.length ? ` (${run.kept.length} started job(s) kept in place)` : ''}:\n`;
        text += renderPlanDiffText(run.previous.id, run.id ?? 'this plan', run.diff, changes);
      }
      writeOut(command, text);
    });

  plan
    .command('show [plan-id]')
    .description('print a stored plan, the latest by default (--format and --out as for plan)')
    .action(async (planId: string | undefined, _options: unknown, command: Command) => {
      const stored = await withServices(command, (deps) => loadPlan(deps, planId ? { planId } : {}));
      const format = getFormat(command);
      const label = { id: stored.id, stored: true };
      if (format === 'json')
        return emit(command, format, label, { id: stored.id, status: stored.status, ...stored.plan });
      emit(command, format, label, stored.plan);
    });

  plan
    .command('approve <plan-id>')
    .description("approve a draft plan (audited as plan:approve, announced to the API's event stream)")
    .action(async (planId: string, _options: unknown, command: Command) => {
      const { auditEvent: _audit, ...approved } = await withServices(command, (deps) =>
        approvePlan(deps, { planId }),
      );
      if (getGlobalOptions(command).json) return printJson(approved);
      printLine(`Plan ${approved.id} approved by ${approved.approvedBy} at ${approved.approvedAt}.`);
    });

  plan
    .command('list')
    .description('list stored plans, newest first')
    .option('--limit <n>', 'how many', '20')
    .action(async (options: { limit: string }, command: Command) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--limit ${options.limit} is not a positive whole number`,
        );
      const plans = await withServices(command, (deps) => listPlans(deps, { limit }));
      if (getGlobalOptions(command).json) return printJson({ plans });
      if (plans.length === 0) return printLine('No plan is stored yet; run `patchcast plan`.');
      printTable(
        plans.map((p) => ({
          id: p.id,
          status: p.status,
          created: p.createdAt.slice(0, 16).replace('T', ' '),
          jobs: p.jobCount ?? '-',
          unscheduled: p.unscheduledCount ?? '-',
          objective: p.objective?.toFixed(1),
          gap: p.gap === undefined ? '-' : `${(p.gap * 100).toFixed(2)}%`,
          method: p.method,
          replaces: p.previousId,
        })),
      );
    });

  plan
    .command('diff [old] [new]')
    .description(
      'jobs added, removed and moved (from → to window) between two stored plans; default: the latest two',
    )
    .action(
      async (oldId: string | undefined, newId: string | undefined, _options: unknown, command: Command) => {
        const { before, after, diff, changes } = await withServices(command, (deps) =>
          diffPlans(deps, { ...(oldId ? { oldId } : {}), ...(newId ? { newId } : {}) }),
        );
        if (getGlobalOptions(command).json)
          return printJson({ from: before.id, to: after.id, diff, changes });
        writeOut(command, renderPlanDiffText(before.id, after.id, diff, changes));
      },
    );

  plan
    .command('explain <job-or-asset>')
    .description(
      'why a job is where it is in the plan: its window, ring and reasons (or why it is not in the horizon)',
    )
    .option('--plan <plan-id>', 'the stored plan to look in (default: the latest)')
    .action(async (target: string, options: { plan?: string }, command: Command) => {
      const { stored, explanation } = await withServices(command, (deps) =>
        explainPlanJob(deps, { target, ...(options.plan ? { planId: options.plan } : {}) }),
      );
      if (getGlobalOptions(command).json) return printJson({ planId: stored.id, ...explanation });
      writeOut(command, renderJobExplanation(stored.plan, explanation, stored.id));
    });
}

/** html and ics are exports: of a stored plan, never a reason to make a new one. */
function isExport(format: Format): boolean {
  return format === 'html' || format === 'ics';
}

/** `plan --format html|ics`: the latest stored plan, as `plan show --format …` prints it; stores nothing. */
async function exportLatest(command: Command, format: Format): Promise<void> {
  const stored = await withServices(command, (deps) => loadPlan(deps)).catch((error: unknown) => {
    if (!(error instanceof PatchcastError) || error.code !== 'STORE_NOT_FOUND') throw error;
    throw new PatchcastError('STORE_NOT_FOUND', `no plan is stored yet to export as ${format}`, {
      hint: `Run \`patchcast plan\` first, or \`patchcast plan --dry-run --format ${format}\` for an unstored plan.`,
    });
  });
  emit(command, format, { id: stored.id, stored: true }, stored.plan);
}

function getHorizonDays(horizon: string): number {
  if (!/^(\d+[mhdw])+$/.test(horizon) || getDurationMinutes(horizon) <= 0) {
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `--horizon ${horizon} is not a duration such as 30d or 2w`,
    );
  }
  return getDurationMinutes(horizon) / 1440;
}

/** --format (on `plan`, inherited by `show`), with --json as a shorthand for --format json. */
function getFormat(command: Command): Format {
  const { format, json } = command.optsWithGlobals<{ format?: string; json?: boolean }>();
  if (json && (format === undefined || format === 'text')) return 'json';
  if (FORMATS.includes(format as Format)) return format as Format;
  throw new PatchcastError(
    'USAGE_INVALID_ARGUMENT',
    `--format ${format} is not one of ${FORMATS.join(', ')}`,
  );
}

function emit(
  command: Command,
  format: Format,
  label: PlanLabel,
  value: Plan | Record<string, unknown>,
): void {
  const plan = value as Plan;
  const render = {
    json: () => `${JSON.stringify(value, null, 2)}\n`,
    html: renderPlanHtml,
    ics: renderPlanIcs,
    text: renderPlanText,
  };
  writeOut(command, render[format](plan, label));
}

/** Standard output, or --out FILE (then one line saying where it went). */
function writeOut(command: Command, text: string): void {
  const { out } = command.optsWithGlobals<{ out?: string }>();
  if (!out) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(out, text);
  } catch (error) {
    throw new PatchcastError('INPUT_NOT_FOUND', `cannot write ${out}`, {
      cause: error,
      details: { file: out },
    });
  }
  if (getGlobalOptions(command).json) printJson({ out });
  else printLine(`wrote ${out}`);
}
