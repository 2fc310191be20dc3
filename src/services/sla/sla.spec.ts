import { describe, expect, it } from 'vitest';
import { makeServiceDeps, useSeededStore } from '../../../test/support/service-deps.js';
import { countRows } from '../../../test/support/store.js';
import { readConfig } from '../../config/index.js';
import { loadSlaReport } from './load-sla-report.js';

/** CISA's clock: a KEV finding is due on CISA's due date, so the seeded exim4 findings are long overdue. */
const KEV_LISTED = readConfig(
  [
    'policies:',
    '  sla:',
    '    - { id: kev, when: { kev: true }, due: kev-due-date, clockStart: kev-listed }',
    '    - { id: default, when: {}, due: 180 }',
  ].join('\n'),
  'patchcast.yaml',
  {},
);

describe('SLA report service', () => {
  const store = useSeededStore();

  it('gives a viewer the breached KEV findings as of the clock, without an audit event', async () => {
    const { report, asOf } = await loadSlaReport(makeServiceDeps(store(), 'viewer', KEV_LISTED));
    expect(asOf.day).toBe('2026-01-10');
    expect(report.breached.map((i) => [i.assetId, i.packageName, i.cve, i.dueDate]).sort()).toEqual([
      ['cache-01', 'exim4', 'CVE-2018-6789', '2022-05-03'],
      ['orders-db-01', 'exim4', 'CVE-2018-6789', '2022-05-03'],
    ]);
    expect(report.totals).toMatchObject({ breached: 2, 'on-track': 1, closed: 1 });
    expect(await countRows(store(), ['audit_events'])).toEqual({ audit_events: 0 });
  });

  it('keeps at most `keep` findings per list but counts them all', async () => {
    const { report } = await loadSlaReport(makeServiceDeps(store(), 'viewer', KEV_LISTED), { keep: 1 });
    expect(report.breached).toHaveLength(1);
    expect(report.totals.breached).toBe(2);
  });
});
