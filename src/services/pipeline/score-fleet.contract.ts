/**
 * The risk step's fast path against `scoreFinding`, on either backend: over a varied fleet (KEV with
 * ransomware, EPSS, a model forecast, exploit maturity, in-use packages, a compensating control,
 * drift, internet-facing and staging hosts) every stored risk is `scoreFinding(context).risk`, the
 * top list is the one the per-finding path keeps, a second pass writes nothing, and a pass scoped by
 * vulnerability rescores only that vulnerability's findings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import type { Finding } from '../../core/types.js';
import { findCoveringException } from '../../risk/exceptions/covering.js';
import { scoreFinding } from '../../risk/score/index.js';
import {
  insertEpssScores,
  listExceptions,
  listFindings,
  loadAssetPackages,
  replaceAssetPackages,
  type Store,
} from '../../store/index.js';
import { applyStoredVex } from '../matching/apply-vex.js';
import { loadFindingContexts } from '../risk/finding-contexts.js';
import { type ScoredFinding, scoreFindings } from '../risk/score-findings.js';
import type { ModelProbabilities } from '../risk/vulnerability-context.js';
import { seedBatchFleet } from './__fixtures__/batch-fleet.js';
import { scoreFleet } from './steps-after-match.js';
import { updateFindings } from './update-findings.js';

const config = loadConfig(undefined, {});
const NOW = new Date('2026-02-10T06:00:00Z');

/** A forecast for two CVEs, one on EPSS's scale above its EPSS score (so the model decides it). */
const MODEL: ModelProbabilities = {
  probabilities: new Map([
    ['CVE-2017-12424', 0.004],
    ['CVE-2021-25296', 0.0002],
  ]),
  onEpssScale: new Map([
    ['CVE-2017-12424', 0.41],
    ['CVE-2021-25296', 0.07],
  ]),
  horizonDays: 30,
  asOf: '2026-02-10',
};

/** Stored risks by finding id, as the backend returns them. */
async function loadStoredRisks(store: Store): Promise<Map<string, number | null>> {
  const contexts = await loadFindingContexts(store.db, { asOf: NOW });
  return new Map(contexts.map((c) => [c.finding.id, c.finding.risk ?? null]));
}

async function seed(store: Store): Promise<void> {
  await seedBatchFleet(store);
  // host-3 and host-6: an agent said which packages are in use (one yes, one no each).
  for (const assetId of ['host-3', 'host-6']) {
    const packages = await loadAssetPackages(store.db, assetId);
    const meta = { assetId, source: 'agent', format: 'agent-report', importedAt: '2026-02-01T00:00:00.000Z' };
    await replaceAssetPackages(
      store.db,
      meta,
      packages.map((p, i) => ({
        ecosystem: p.ecosystem,
        name: p.name,
        version: p.version,
        inUse: i % 2 === 0,
      })),
    );
  }
  await updateFindings(store, { now: NOW, config, top: 5 });
}

export function describeFleetRisk(
  backend: string,
  makeStore: () => Promise<{ store: Store; cleanup(): Promise<void> }>,
  /** A risk at the precision the backend stores (PostgreSQL: float4), applied to both sides. */
  asStored: (risk: number) => number,
): void {
  describe(`the risk step's fast path on ${backend}`, () => {
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => cleanup?.());

    it('stores scoreFinding’s risk for every finding, keeps the same top list, and rewrites nothing unchanged', async () => {
      const t = await makeStore();
      cleanup = t.cleanup;
      await seed(t.store);
      const fleet = await scoreFleet(t.store.db, { now: NOW, config, model: async () => MODEL, top: 5 });
      expect(fleet.written).toBeGreaterThan(0);

      const contexts = await loadFindingContexts(t.store.db, { asOf: NOW, model: MODEL });
      expect(contexts.some((c) => c.inUse === true) && contexts.some((c) => c.inUse === false)).toBe(true);
      expect(contexts.some((c) => c.compensatingControls?.length)).toBe(true);
      expect(contexts.some((c) => c.drift)).toBe(true);
      expect(contexts.some((c) => c.vulnerability.kev?.ransomware)).toBe(true);
      expect(contexts.some((c) => c.vulnerability.modelOnEpssScale !== undefined)).toBe(true);
      const stored = await loadStoredRisks(t.store);
      for (const c of contexts) {
        const expected = scoreFinding(c, config.risk.weights, NOW).risk;
        const risk = stored.get(c.finding.id);
        expect([c.finding.id, risk === null || risk === undefined ? risk : asStored(risk)]).toEqual([
          c.finding.id,
          asStored(expected),
        ]);
      }

      const exceptions = await listExceptions(t.store.db);
      const staysOpen = ({ context: { finding, vulnerability } }: ScoredFinding) =>
        finding.status === 'open' &&
        !findCoveringException(finding as Finding, exceptions, NOW, {
          vulnerabilityIds: vulnerability.cve ? [vulnerability.cve] : [],
        });
      const perFinding = await scoreFindings(t.store, {
        asOf: NOW,
        weights: config.risk.weights,
        model: MODEL,
        write: false,
        keep: { top: 5, where: staysOpen },
      });
      expect(fleet.top.map((s) => [s.finding.id, s.risk])).toEqual(
        perFinding.map((s) => [s.context.finding.id, s.score.risk]),
      );
      expect(fleet.top).toHaveLength(5);

      const again = await scoreFleet(t.store.db, { now: NOW, config, model: async () => MODEL, top: 5 });
      expect(again.written).toBe(0);
      expect(again.scored).toBe(fleet.scored);
    });

    it('a pass scoped by vulnerability rescores only its findings, which a whole pass then confirms', async () => {
      const t = await makeStore();
      cleanup = t.cleanup;
      await seed(t.store);
      await insertEpssScores(t.store.db, [
        { cveId: 'CVE-2019-10082', scoreDate: '2026-02-09', score: 0.6, percentile: 0.97 },
      ]);
      const before = await loadStoredRisks(t.store);
      const scoped = await scoreFleet(t.store.db, {
        now: NOW,
        config,
        vulnerabilityIds: ['TEST-REQUESTS-1'],
      });
      const after = await loadStoredRisks(t.store);
      const moved = [...after].filter(([id, risk]) => before.get(id) !== risk).map(([id]) => id);
      const ofRequests = (await loadFindingContexts(t.store.db, { asOf: NOW }))
        .filter((c) => c.finding.vulnerabilityId === 'TEST-REQUESTS-1')
        .map((c) => c.finding.id);
      expect(scoped.scored).toBe(ofRequests.length);
      expect(moved.sort()).toEqual([...ofRequests].sort());
      expect((await scoreFleet(t.store.db, { now: NOW, config })).written).toBe(0);
    });

    it('VEX scoped by assets and vulnerabilities reopens only the findings in scope', async () => {
      const t = await makeStore();
      cleanup = t.cleanup;
      await seed(t.store);
      const suppressed = (await listFindings(t.store.db, { status: ['suppressed'] })).filter(
        (f) => f.suppression?.kind === 'vex',
      );
      expect(suppressed.length).toBeGreaterThan(1);
      expect(new Set(suppressed.map((f) => f.vulnerabilityId))).toEqual(new Set(['TEST-REQUESTS-1']));
      // The statement is withdrawn: its findings are opened again, as far as each scope reaches.
      await t.store.db.deleteFrom('vex_statements').execute();
      const vex = (scope: Parameters<typeof applyStoredVex>[1]) =>
        t.store.db.transaction().execute((db) => applyStoredVex(db, scope));
      expect(await vex({ vulnerabilityIds: ['TEST-DJANGO-1'] })).toEqual({ suppressed: 0, reopened: 0 });
      const first = suppressed[0] as Finding;
      expect(await vex({ assetIds: [first.assetId] })).toEqual({ suppressed: 0, reopened: 1 });
      expect(await vex({ vulnerabilityIds: ['TEST-REQUESTS-1'] })).toEqual({
        suppressed: 0,
        reopened: suppressed.length - 1,
      });
      expect(await listFindings(t.store.db, { status: ['suppressed'] })).toEqual([]);
    });
  });
}
