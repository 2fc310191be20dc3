import type { SlaState } from '../types.js';
import type { SlaEntry } from './apply-sla.js';
import { diffDays, getDayOf } from './dates.js';
import type { SlaRule } from './types.js';

/** One finding in an SLA report. */
export interface SlaReportItem {
  findingId: string;
  assetId: string;
  packageName: string;
  vulnerabilityId: string;
  cve: string | null;
  kev: boolean;
  dueDate: string | null;
  /** Days past the due date (positive) or left before it (negative). */
  daysOverdue: number | null;
  rule: string;
  reason: string;
  exceptionId?: string;
}

export interface SlaReport {
  asOf: string;
  totals: Record<SlaState, number>;
  /** Counts per rule, in config order; `none` collects findings no rule matched. */
  rules: Array<{ rule: string; description?: string; total: number } & Record<SlaState, number>>;
  /** Most overdue first. */
  breached: SlaReportItem[];
  /** Soonest due first. */
  dueSoon: SlaReportItem[];
  /** Findings whose clock an exception stops: counted and listed, never hidden. */
  paused: SlaReportItem[];
}

const zero = (): Record<SlaState, number> => ({
  'on-track': 0,
  'due-soon': 0,
  breached: 0,
  paused: 0,
  closed: 0,
});

/** What is due and breached, grouped by rule: the `patchcast sla` answer. Pure. */
export function getSlaReport(entries: readonly SlaEntry[], rules: readonly SlaRule[], now: Date): SlaReport {
  const asOf = getDayOf(now);
  const totals = zero();
  const byRule = new Map<string, Record<SlaState, number>>(rules.map((r) => [r.id, zero()]));
  const report: SlaReport = { asOf, totals, rules: [], breached: [], dueSoon: [], paused: [] };
  for (const entry of entries) {
    totals[entry.sla.state]++;
    const counts = byRule.get(entry.sla.rule) ?? zero();
    counts[entry.sla.state]++;
    byRule.set(entry.sla.rule, counts);
    const list = { breached: report.breached, 'due-soon': report.dueSoon, paused: report.paused }[
      entry.sla.state as string
    ];
    list?.push(getItem(entry, asOf));
  }
  for (const [rule, counts] of byRule) {
    const description = rules.find((r) => r.id === rule)?.description;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    report.rules.push({ rule, ...(description ? { description } : {}), total, ...counts });
  }
  const overdue = (i: SlaReportItem) => i.daysOverdue ?? Number.NEGATIVE_INFINITY;
  report.breached.sort((a, b) => overdue(b) - overdue(a) || a.findingId.localeCompare(b.findingId));
  report.dueSoon.sort((a, b) => overdue(b) - overdue(a) || a.findingId.localeCompare(b.findingId));
  return report;
}

function getItem({ context, sla }: SlaEntry, asOf: string): SlaReportItem {
  const f = context.finding;
  const item: SlaReportItem = {
    findingId: f.id,
    assetId: f.assetId,
    packageName: f.packageName,
    vulnerabilityId: f.vulnerabilityId,
    cve: context.vulnerability.cve ?? null,
    kev: context.vulnerability.kev !== undefined,
    dueDate: sla.dueDate,
    daysOverdue: sla.dueDate === null ? null : diffDays(sla.dueDate, asOf),
    rule: sla.rule,
    reason: sla.reason,
  };
  if (sla.exceptionId) item.exceptionId = sla.exceptionId;
  return item;
}
