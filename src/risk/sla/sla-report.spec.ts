import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import type { Finding } from '../../core/types.js';
import { applyExceptions } from '../../services/risk/apply-exceptions.js';
import { applyPolicies } from '../../services/risk/apply-policies.js';
import { applySla } from '../../services/risk/apply-sla.js';
import {
  type Db,
  insertException,
  upsertAsset,
  upsertFindings,
  upsertKevEntries,
  upsertVulnerabilities,
} from '../../store/index.js';
import { makeAsset, makeException, makeFinding } from './__fixtures__/contexts.js';
import { DEFAULT_SLA_RULES } from './default-rules.js';
import { getSlaReport, makeSlaReportBuilder, type SlaReportItem } from './sla-report.js';
import { DEFAULT_EXCEPTION_POLICY, type SlaEntry } from './types.js';

const AT = '2026-01-05T08:00:00.000Z';
const NOW = new Date('2026-03-01T12:00:00Z');
/** The built-in rules without the catch-all, so that low findings fall to `none`. */
const RULES = DEFAULT_SLA_RULES.filter((r) => r.id !== 'default');
const VULNS = [
  { id: 'V-CRIT', severity: 'CRITICAL' },
  { id: 'V-HIGH', severity: 'HIGH' },
  { id: 'V-MED', severity: 'MEDIUM' },
  { id: 'V-LOW', severity: 'LOW' },
  { id: 'V-KEV', aliases: ['CVE-2018-6789'] },
];

/**
 * Six assets, each with every vulnerability first seen on spread-out days (so breached by varied
 * days, due soon and on track), one excepted asset (paused) and a fixed finding (left out).
 */
async function seed(db: Db): Promise<void> {
  await upsertVulnerabilities(
    db,
    VULNS.map((v) => ({ aliases: [], ...v, source: 'test' })),
  );
  await upsertKevEntries(db, [
    { cveId: 'CVE-2018-6789', dateAdded: '2026-01-02', dueDate: '2026-02-20', ransomware: false },
  ]);
  const findings: Finding[] = [];
  for (let a = 1; a <= 6; a++) {
    const assetId = `asset-${7 - a}`;
    await upsertAsset(db, makeAsset({ id: assetId, name: assetId }), AT);
    for (const [v, vuln] of VULNS.entries()) {
      const firstSeen = new Date(Date.parse('2026-01-10T00:00:00Z') + ((a * 7 + v * 11) % 45) * 86_400_000);
      findings.push(
        makeFinding({
          id: `f-${assetId}-${vuln.id}`,
          assetId,
          vulnerabilityId: vuln.id,
          status: a === 2 && v === 1 ? 'fixed' : 'open',
          firstSeen: firstSeen.toISOString(),
          lastSeen: firstSeen.toISOString(),
        }),
      );
    }
  }
  await upsertFindings(db, findings);
  await insertException(
    db,
    makeException({
      scope: 'asset',
      assetId: 'asset-3',
      vulnerabilityId: undefined,
      createdAt: '2026-02-01T00:00:00.000Z',
      expiresAt: '2026-04-01T00:00:00.000Z',
    }),
  );
}

describe('makeSlaReportBuilder', () => {
  let temp: Awaited<ReturnType<typeof makeTempStore>>;
  beforeEach(async () => {
    temp = await makeTempStore();
    await seed(temp.store.db);
  });
  afterEach(() => temp.cleanup());

  it('reports a batch of assets at a time as every entry at once, keeping the first of each list', async () => {
    const db = temp.store.db;
    await applyExceptions(db, NOW);
    const whole = getSlaReport(await applySla(db, NOW, RULES, DEFAULT_EXCEPTION_POLICY), RULES, NOW);
    const all = makeSlaReportBuilder(RULES, NOW);
    const bounded = makeSlaReportBuilder(RULES, NOW, { keep: 1 });
    const batches: Array<readonly SlaEntry[]> = [];
    const onEntries = (entries: readonly SlaEntry[]) => {
      batches.push(entries);
      all.add(entries);
      bounded.add(entries);
    };
    await applyPolicies(
      db,
      NOW,
      { sla: RULES, exceptions: DEFAULT_EXCEPTION_POLICY },
      { batchAssets: 1, onEntries },
    );

    expect(batches.map((b) => new Set(b.map((e) => e.context.finding.assetId)).size)).toEqual([
      1, 1, 1, 1, 1, 1,
    ]);
    expect(JSON.stringify(all.finish())).toBe(JSON.stringify(whole));
    expect(bounded.finish()).toEqual({
      ...whole,
      breached: whole.breached.slice(0, 1),
      dueSoon: whole.dueSoon.slice(0, 1),
      paused: whole.paused.slice(0, 1),
    });
    expect(whole.breached.length).toBeGreaterThan(4);
    expect(whole.dueSoon.length).toBeGreaterThan(1);
    expect(whole.paused.length).toBeGreaterThan(2);
    const ids = (items: SlaReportItem[]) => items.map((i) => i.findingId);
    expect(ids(whole.paused)).toEqual(ids(whole.paused).sort());
    for (const list of [whole.breached, whole.dueSoon])
      for (const [i, item] of list.slice(1).entries()) {
        const before = list[i] as SlaReportItem;
        const [late, was] = [item.daysOverdue ?? 0, before.daysOverdue ?? 0];
        expect(late < was || (late === was && item.findingId > before.findingId)).toBe(true);
      }
    expect(whole.rules.map((r) => r.rule)).toEqual(['kev', 'critical', 'high', 'medium', 'none']);
  });
});
