import type { Finding } from '../../core/types.js';
import type { FindingDayState } from '../../store/index.js';

/** What the day's SLA judgement adds to a finding's history row. */
export type DaySla = Pick<FindingDayState, 'dueDate' | 'slaState' | 'slaRule'>;

/** A finding's history row for `day`: its stored identity, status and risk, with the day's SLA and KEV flag. */
export function makeFindingDayState(f: Finding, day: string, sla: DaySla, kev: boolean): FindingDayState {
  return {
    findingId: f.id,
    day,
    assetId: f.assetId,
    vulnerabilityId: f.vulnerabilityId,
    status: f.status,
    risk: f.risk ?? null,
    ...sla,
    kev,
  };
}
