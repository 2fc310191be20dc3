import { getOrCreate } from '../../core/collections.js';
import { makeTopList, type TopList } from '../../core/top-list.js';
import type { SlaState } from '../types.js';
import { diffDays, getDayOf } from './dates.js';
import type { SlaEntry, SlaRule } from './types.js';

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
  /** Findings whose clock an exception stops: counted and listed, never hidden; by finding id. */
  paused: SlaReportItem[];
}

/** A count of 0 for every SLA state. */
export const getZeroSlaCounts = (): Record<SlaState, number> => ({
  'on-track': 0,
  'due-soon': 0,
  breached: 0,
  paused: 0,
  closed: 0,
});

/** What is due and breached, grouped by rule: the `patchcast sla` answer. Pure. */
export function getSlaReport(entries: readonly SlaEntry[], rules: readonly SlaRule[], now: Date): SlaReport {
  const builder = makeSlaReportBuilder(rules, now);
  builder.add(entries);
  return builder.finish();
}

/** Options of `makeSlaReportBuilder`. */
export interface SlaReportOptions {
  /**
   * Keep only the first this many findings of each list (`breached`, `dueSoon`, `paused`); `totals`
   * still counts every one. All when omitted.
   */
  keep?: number;
}

/** An SLA report built a batch of entries at a time (`applySlaBatches`' `onEntries`). */
export interface SlaReportBuilder {
  add(entries: readonly SlaEntry[]): void;
  /** The report of every entry added, the same as `getSlaReport` of them all. */
  finish(): SlaReport;
}

/**
 * Counts every entry and keeps the listed findings in bounded lists (`options.keep`), so a report
 * over a whole fleet holds neither every entry nor, with `keep`, every breach. Pure.
 */
export function makeSlaReportBuilder(
  rules: readonly SlaRule[],
  now: Date,
  options: SlaReportOptions = {},
): SlaReportBuilder {
  const asOf = getDayOf(now);
  const totals = getZeroSlaCounts();
  const byRule = new Map<string, Record<SlaState, number>>(rules.map((r) => [r.id, getZeroSlaCounts()]));
  const breached = makeTopList(byOverdue, options.keep);
  const dueSoon = makeTopList(byOverdue, options.keep);
  const paused = makeTopList(byId, options.keep);
  const listed: Partial<Record<SlaState, TopList<SlaReportItem>>> = { breached, 'due-soon': dueSoon, paused };
  return {
    add(entries) {
      for (const entry of entries) {
        totals[entry.sla.state]++;
        const counts = getOrCreate(byRule, entry.sla.rule, getZeroSlaCounts);
        counts[entry.sla.state]++;
        listed[entry.sla.state]?.add(getItem(entry, asOf));
      }
    },
    finish() {
      const lists = { breached: breached.take(), dueSoon: dueSoon.take(), paused: paused.take() };
      const report: SlaReport = { asOf, totals, rules: [], ...lists };
      for (const [rule, counts] of byRule) {
        const description = rules.find((r) => r.id === rule)?.description;
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        report.rules.push({ rule, ...(description ? { description } : {}), total, ...counts });
      }
      return report;
    },
  };
}

/**
 * Most overdue first, then by finding id. The bytewise tie-break keeps the order of findings whose
 * ids `localeCompare` finds equal as it was when every entry came sorted by id.
 */
function byOverdue(a: SlaReportItem, b: SlaReportItem): number {
  const overdue = (i: SlaReportItem) => i.daysOverdue ?? Number.NEGATIVE_INFINITY;
  return overdue(b) - overdue(a) || a.findingId.localeCompare(b.findingId) || byId(a, b);
}

/** By finding id, bytewise: the store order `applySla` returns. */
function byId(a: SlaReportItem, b: SlaReportItem): number {
  return a.findingId < b.findingId ? -1 : a.findingId > b.findingId ? 1 : 0;
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
