import type { Command } from 'commander';
import { applyExceptions } from '../../risk/exceptions/index.js';
import { recordFindingHistory } from '../../risk/history/index.js';
import { applySla, getDayOf, getSlaReport, getSlaRules, type SlaReportItem } from '../../risk/sla/index.js';
import { getGlobalOptions, loadCommandConfig, withStore } from '../context.js';
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
      const config = loadCommandConfig(command);
      const rules = getSlaRules(config.policies.sla);
      const now = new Date();
      await withStore(command, async (store) => {
        const entries = await store.db.transaction().execute(async (db) => {
          await applyExceptions(db, now);
          const computed = await applySla(db, now, rules, config.policies.exceptions);
          await recordFindingHistory(db, getDayOf(now));
          return computed;
        });
        const report = getSlaReport(entries, rules, now);
        if (getGlobalOptions(command).json) return printJson(report);
        const t = report.totals;
        printLine(
          `SLA as of ${report.asOf}: ${t.breached} breached, ${t['due-soon']} due soon, ${t['on-track']} on track, ${t.paused} paused by exceptions, ${t.closed} closed`,
        );
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
        const limit = Number(options.limit);
        printItems('Breached (most overdue first):', report.breached, limit, 'overdue');
        printItems('Due soon:', report.dueSoon, limit, 'left');
        printItems('Paused by exceptions:', report.paused, limit, 'exception');
      });
    });
}

function printItems(
  title: string,
  items: readonly SlaReportItem[],
  limit: number,
  last: 'overdue' | 'left' | 'exception',
) {
  if (items.length === 0) return;
  printLine('');
  printLine(title);
  printTable(
    items.slice(0, limit).map((i) => ({
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
  if (items.length > limit) printLine(`… ${items.length - limit} more (--limit, or --json)`);
}
