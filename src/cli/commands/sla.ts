import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { getDataAgeNote } from '../../risk/as-of.js';
import type { SlaReportItem } from '../../risk/sla/index.js';
import { loadSlaReport } from '../../services/sla/load-sla-report.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

/** `patchcast sla`: what is due soon and breached, per rule, as of now under the configured policy. */
export function registerSlaCommand(program: Command): void {
  program
    .command('sla')
    .description(
      'what is due soon and breached, grouped by SLA rule (recomputes due dates under the current policy)',
    )
    .option('--limit <n>', 'at most this many breached and due-soon findings in the text output', '20')
    .action(async (options: { limit: string }, command: Command) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 0)
        throw new PatchcastError(
          'USAGE_INVALID_ARGUMENT',
          `--limit ${options.limit} is not a whole number ≥ 0`,
        );
      const json = getGlobalOptions(command).json;
      // The text output lists `limit` findings of each kind; JSON lists every one (see the report).
      const { report, asOf } = await withServices(command, (deps) =>
        loadSlaReport(deps, json ? {} : { keep: limit }),
      );
      if (json) return printJson(report);
      const t = report.totals;
      printLine(
        `SLA as of ${report.asOf}: ${t.breached} breached, ${t['due-soon']} due soon, ${t['on-track']} on track, ${t.paused} paused by exceptions, ${t.closed} closed`,
      );
      const note = getDataAgeNote(asOf);
      if (note) printLine(note);
      printLine('');
      printTable(
        report.rules.map((r) => ({
          rule: r.rule,
          total: r.total,
          breached: r.breached,
          'due-soon': r['due-soon'],
          'on-track': r['on-track'],
          paused: r.paused,
          closed: r.closed,
        })),
      );
      printItems('Breached (most overdue first):', report.breached, t.breached, 'overdue');
      printItems('Due soon:', report.dueSoon, t['due-soon'], 'left');
      printItems('Paused by exceptions:', report.paused, t.paused, 'exception');
    });
}

/** The first findings of a list (as many as `--limit` kept) and how many more there are of `total`. */
function printItems(
  title: string,
  items: readonly SlaReportItem[],
  total: number,
  last: 'overdue' | 'left' | 'exception',
) {
  if (total === 0) return;
  printLine('');
  printLine(title);
  printTable(
    items.map((i) => ({
      asset: i.assetId,
      package: i.packageName,
      vulnerability: i.cve ?? i.vulnerabilityId,
      kev: i.kev ? 'yes' : '-',
      due: i.dueDate ?? 'next upgrade',
      rule: i.rule,
      [last]:
        last === 'exception'
          ? (i.exceptionId ?? '-')
          : last === 'overdue'
            ? `${i.daysOverdue} days`
            : `${-(i.daysOverdue ?? 0)} days`,
    })),
  );
  if (total > items.length) printLine(`… ${total - items.length} more (--limit, or --json)`);
}
