import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FindingContext } from '../types.js';
import { makeContext } from './__fixtures__/contexts.js';
import { DEFAULT_RISK_WEIGHTS, type RiskWeights } from './levels.js';
import { scoreFinding } from './score-finding.js';

const AS_OF = new Date('2026-03-01T00:00:00Z');
const criticality = fc.constantFrom('low', 'medium', 'high', 'critical' as const);
const maturity = fc.constantFrom('none', 'poc', 'weaponized', 'active' as const);
const environment = fc.constantFrom('production', 'staging', 'development', undefined);
const data = fc.constantFrom('public', 'internal', 'confidential', 'restricted', undefined);
const vector = fc.constantFrom(
  undefined,
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:H/PR:L/UI:R/S:U/C:L/I:L/A:N',
  'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
);

/** Any finding context the store can produce. */
const contextArb = fc
  .record({
    p: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    epss: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    cvssScore: fc.option(fc.double({ min: 0, max: 10, noNaN: true }), { nil: undefined }),
    kev: fc.boolean(),
    ransomware: fc.boolean(),
    maturity,
    vector,
    criticality,
    environment,
    data,
    internet: fc.boolean(),
    drift: fc.nat({ max: 40 }),
    controls: fc.array(fc.constantFrom('WAF rule', 'segmented', 'EDR'), { maxLength: 3 }),
  })
  .map((r) =>
    makeContext(
      {
        ...(r.p === undefined ? {} : { modelProbability: r.p }),
        ...(r.epss === undefined ? {} : { epss: { score: r.epss, date: '2026-01-30' } }),
        ...(r.cvssScore === undefined ? {} : { cvssScore: r.cvssScore }),
        ...(r.vector === undefined ? {} : { cvssVector: r.vector }),
        ...(r.kev ? { kev: { dateAdded: '2025-01-01', ransomware: r.ransomware } } : {}),
        exploitMaturity: r.maturity,
      },
      {
        criticality: r.criticality,
        internetExposed: r.internet,
        ...(r.environment ? { environment: r.environment } : { environment: undefined }),
        ...(r.data ? { dataClassification: r.data } : { dataClassification: undefined }),
      },
      { drift: { changedPackages: r.drift }, compensatingControls: r.controls },
    ),
  );

const weightsArb: fc.Arbitrary<RiskWeights> = fc.record({
  exploitProbability: fc.double({ min: 0, max: 2, noNaN: true }),
  kev: fc.double({ min: 0, max: 1, noNaN: true }),
  ransomware: fc.double({ min: 0, max: 1, noNaN: true }),
  exploitMaturity: fc.double({ min: 0, max: 1, noNaN: true }),
  technicalImpact: fc.double({ min: 0, max: 1, noNaN: true }),
  criticality: fc.double({ min: 0, max: 1, noNaN: true }),
  internetExposure: fc.double({ min: 0, max: 1, noNaN: true }),
  dataClassification: fc.double({ min: 0, max: 1, noNaN: true }),
  compensatingControls: fc.double({ min: 0, max: 1.5, noNaN: true }),
  drift: fc.double({ min: 0, max: 1, noNaN: true }),
  inUse: fc.double({ min: 0, max: 1, noNaN: true }),
});

const risk = (ctx: FindingContext, w: RiskWeights = DEFAULT_RISK_WEIGHTS) => scoreFinding(ctx, w, AS_OF).risk;

/** A copy of the context with changes to its vulnerability and asset. */
function edit(
  ctx: FindingContext,
  v: Partial<FindingContext['vulnerability']>,
  a: Partial<FindingContext['asset']> = {},
): FindingContext {
  return { ...ctx, vulnerability: { ...ctx.vulnerability, ...v }, asset: { ...ctx.asset, ...a } };
}

describe('risk properties', () => {
  it('is in [0, 1] and its contributions add up to it, for any weights', () => {
    fc.assert(
      fc.property(contextArb, weightsArb, (ctx, w) => {
        const score = scoreFinding(ctx, w, AS_OF);
        expect(score.risk).toBeGreaterThanOrEqual(0);
        expect(score.risk).toBeLessThanOrEqual(1);
        const sum = score.contributions.reduce((s, c) => s + c.value, 0);
        expect(Math.abs(sum - score.risk)).toBeLessThan(1e-12);
      }),
      { numRuns: 2000 },
    );
  });

  it('never falls with internet exposure, criticality, environment or data classification', () => {
    const order = <T>(values: readonly T[]) => values;
    fc.assert(
      fc.property(contextArb, weightsArb, (ctx, w) => {
        expect(risk(edit(ctx, {}, { internetExposed: true }), w)).toBeGreaterThanOrEqual(
          risk(edit(ctx, {}, { internetExposed: false }), w),
        );
        const ladder = (
          key: 'criticality' | 'environment' | 'dataClassification',
          values: readonly string[],
        ) => {
          const risks = values.map((value) => risk(edit(ctx, {}, { [key]: value }), w));
          for (let k = 1; k < risks.length; k++)
            expect(risks[k]).toBeGreaterThanOrEqual((risks[k - 1] ?? 0) - 1e-15);
        };
        ladder('criticality', order(['low', 'medium', 'high', 'critical']));
        ladder('environment', order(['development', 'staging', 'production']));
        ladder('dataClassification', order(['public', 'internal', 'confidential', 'restricted']));
      }),
      { numRuns: 1000 },
    );
  });

  it('never falls with a KEV listing, ransomware use, exploit maturity or a higher probability', () => {
    fc.assert(
      fc.property(contextArb, weightsArb, fc.double({ min: 0, max: 1, noNaN: true }), (ctx, w, bump) => {
        const { kev: _kev, ...unlisted } = ctx.vulnerability;
        const without = { ...ctx, vulnerability: unlisted };
        expect(
          risk(edit(without, { kev: { dateAdded: '2025-01-01', ransomware: false } }), w),
        ).toBeGreaterThanOrEqual(risk(without, w));
        expect(
          risk(edit(ctx, { kev: { dateAdded: '2025-01-01', ransomware: true } }), w),
        ).toBeGreaterThanOrEqual(risk(edit(ctx, { kev: { dateAdded: '2025-01-01', ransomware: false } }), w));
        const levels = ['none', 'poc', 'weaponized', 'active'] as const;
        const risks = levels.map((m) => risk(edit(ctx, { exploitMaturity: m }), w));
        for (let k = 1; k < risks.length; k++)
          expect(risks[k]).toBeGreaterThanOrEqual((risks[k - 1] ?? 0) - 1e-15);
        const p = ctx.vulnerability.modelProbability ?? 0;
        expect(risk(edit(ctx, { modelProbability: Math.min(1, p + bump) }), w)).toBeGreaterThanOrEqual(
          risk(edit(ctx, { modelProbability: p }), w),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('never rises with compensating controls, and never falls with drift', () => {
    fc.assert(
      fc.property(contextArb, weightsArb, fc.nat({ max: 30 }), (ctx, w, more) => {
        const controls = ctx.compensatingControls ?? [];
        expect(risk({ ...ctx, compensatingControls: [...controls, 'new control'] }, w)).toBeLessThanOrEqual(
          risk(ctx, w) + 1e-15,
        );
        const changed = ctx.drift?.changedPackages ?? 0;
        expect(risk({ ...ctx, drift: { changedPackages: changed + more } }, w)).toBeGreaterThanOrEqual(
          risk(ctx, w) - 1e-15,
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('never falls when the package is in use; not in use scores as unknown; the parts still add up', () => {
    fc.assert(
      fc.property(contextArb, weightsArb, (ctx, w) => {
        const unknown = scoreFinding(ctx, w, AS_OF);
        const used = scoreFinding({ ...ctx, inUse: true }, w, AS_OF);
        const unused = scoreFinding({ ...ctx, inUse: false }, w, AS_OF);
        expect(used.risk).toBeGreaterThanOrEqual(unknown.risk - 1e-15);
        expect(used.risk).toBeLessThanOrEqual(1);
        expect(unused.risk).toBe(unknown.risk);
        for (const score of [used, unused]) {
          const sum = score.contributions.reduce((s, c) => s + c.value, 0);
          expect(Math.abs(sum - score.risk)).toBeLessThan(1e-12);
          expect(score.contributions.filter((c) => c.factor === 'in-use')).toHaveLength(1);
        }
        expect(unknown.contributions.some((c) => c.factor === 'in-use')).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
