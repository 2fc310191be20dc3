import { describe, expect, it } from 'vitest';
import { configSchema } from '../../config/index.js';
import type { RiskScore } from '../types.js';
import { makeContext } from './__fixtures__/contexts.js';
import { formatContribution } from './describe.js';
import { DEFAULT_RISK_WEIGHTS } from './levels.js';
import { getExploitProbability, scoreFinding } from './score-finding.js';
import { getNoisyOrShares, noisyOr } from './shapley.js';

const AS_OF = new Date('2026-03-01T00:00:00Z');
const W = DEFAULT_RISK_WEIGHTS;

function byFactor(score: RiskScore): Record<string, number> {
  return Object.fromEntries(score.contributions.map((c) => [c.factor, c.value]));
}

function total(score: RiskScore): number {
  return score.contributions.reduce((sum, c) => sum + c.value, 0);
}

/** The worked example of src/risk/readme.md, computed by hand there. */
const worked = makeContext(
  {
    epss: { score: 0.5, date: '2026-01-30' },
    kev: { dateAdded: '2026-01-12', ransomware: false },
    exploitMaturity: 'active',
    exploitSignals: [{ source: 'cisa-kev', seenAt: '2026-01-12', maturity: 'active' }],
    cvssScore: 9.8,
    cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  },
  { criticality: 'high', internetExposed: true, dataClassification: 'confidential' },
  { compensatingControls: ['WAF rule'] },
);

describe('scoreFinding', () => {
  it('matches the hand-computed worked example of the readme', () => {
    const score = scoreFinding(worked, W, AS_OF);
    // L = 1 − 0.5·0.7·0.8; I = (0.2+0.1+0.2+0.0667)/0.7; E = 0.6/0.65 · 0.8.
    expect(score.risk).toBeCloseTo(0.72 * ((0.5 + 0.2 / 3) / 0.7) * ((0.6 / 0.65) * 0.8), 12);
    expect(score.risk).toBeCloseTo(0.430418, 6);
    const c = byFactor(score);
    expect(c['exploit-probability']).toBeCloseTo(0.151462, 6);
    expect(c.kev).toBeCloseTo(0.080648, 6);
    expect(c['exploit-maturity']).toBeCloseTo(0.051143, 6);
    expect(c['technical-impact']).toBeCloseTo(0.033231, 6);
    expect(c.criticality).toBeCloseTo(0.033231, 6);
    expect(c['data-classification']).toBeCloseTo(0.011077, 6);
    expect(c['internet-exposure']).toBeCloseTo(0.116044, 6);
    expect(c['compensating-controls']).toBeCloseTo(-0.046418, 6);
    expect(Math.abs(total(score) - score.risk)).toBeLessThan(1e-12);
    expect(score.ssvc).toEqual({
      decision: 'Act',
      exploitation: 'active',
      automatable: 'yes',
      technicalImpact: 'total',
      missionWellbeing: 'high',
    });
  });

  it('reads in plain words, largest contribution first', () => {
    const lines = scoreFinding(worked, W, AS_OF).contributions.map((c) => formatContribution(c, 2));
    expect(lines).toEqual([
      '+0.15 EPSS 0.500 on 2026-01-30',
      '+0.12 internet-facing',
      '+0.08 listed in CISA KEV since 2026-01-12',
      '+0.05 exploitation in the wild reported: cisa-kev since 2026-01-12',
      '−0.05 compensating control: WAF rule',
      '+0.03 high-criticality asset',
      '+0.03 total technical impact: full control or full disclosure',
      '+0.01 holds confidential data',
    ]);
  });

  it('scores the reference context from likelihood alone: I₀·E₀·L', () => {
    const score = scoreFinding(makeContext({ epss: { score: 0.2, date: '2026-01-30' } }), W, AS_OF);
    expect(score.risk).toBeCloseTo(0.2 * (1 / 3 / 0.7) * (0.3 / 0.65), 12);
    expect(score.contributions.map((c) => c.factor)).toEqual(['exploit-probability']);
    expect(score.contributions[0]?.value).toBeCloseTo(score.risk, 12);
  });

  it('credits a less important asset negatively against the reference', () => {
    const score = scoreFinding(
      makeContext(
        { epss: { score: 0.2, date: '2026-01-30' } },
        { criticality: 'low', environment: 'staging', dataClassification: 'public' },
      ),
      W,
      AS_OF,
    );
    const c = byFactor(score);
    expect(c.criticality).toBeLessThan(0);
    expect(c['data-classification']).toBeLessThan(0);
    // A low-criticality asset has no criticality left for the environment to discount.
    expect(c.environment).toBeUndefined();
    expect(Math.abs(total(score) - score.risk)).toBeLessThan(1e-12);
  });

  it('is zero with no exploit likelihood at all', () => {
    const score = scoreFinding(
      makeContext({ modelProbability: 0 }, { criticality: 'critical', internetExposed: true }),
      W,
      AS_OF,
    );
    expect(score.risk).toBe(0);
    expect(score.contributions).toEqual([]);
  });

  it('ignores a KEV listing dated after the scoring day', () => {
    const later = makeContext({
      epss: { score: 0.1, date: '2026-01-30' },
      kev: { dateAdded: '2026-06-01', ransomware: true },
    });
    expect(byFactor(scoreFinding(later, W, AS_OF)).kev).toBeUndefined();
  });

  it('halves the internet exposure a vulnerability needing user interaction can use', () => {
    const base = { epss: { score: 0.3, date: '2026-01-30' } };
    const ui = scoreFinding(
      makeContext(
        { ...base, cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' },
        { internetExposed: true },
      ),
      W,
      AS_OF,
    );
    const auto = scoreFinding(
      makeContext(
        { ...base, cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        { internetExposed: true },
      ),
      W,
      AS_OF,
    );
    expect(ui.risk).toBeLessThan(auto.risk);
    expect(ui.contributions.find((c) => c.factor === 'internet-exposure')?.text).toContain(
      'user interaction',
    );
  });
});

describe('scoreFinding: package in use', () => {
  const internal = makeContext({ epss: { score: 0.2, date: '2026-01-30' } });

  it('scores exactly as before when usage is unknown, and names no in-use term', () => {
    const unknown = scoreFinding(internal, W, AS_OF);
    const { inUse: _ignored, ...withoutUsage } = { ...internal, inUse: undefined };
    expect(scoreFinding(withoutUsage, W, AS_OF)).toEqual(unknown);
    expect(unknown.contributions.map((c) => c.factor)).not.toContain('in-use');
    // E₀ = 0.3/0.65, I₀ = (0.2 + 0.3/3 + 0.1/3)/0.7.
    expect(unknown.risk).toBeCloseTo(0.2 * (1 / 3 / 0.7) * (0.3 / 0.65), 12);
  });

  it('raises exposure to (S + w)/(M + w) when in use, and leaves it when not in use', () => {
    const unknown = scoreFinding(internal, W, AS_OF);
    const used = scoreFinding({ ...internal, inUse: true }, W, AS_OF);
    const unused = scoreFinding({ ...internal, inUse: false }, W, AS_OF);
    expect(used.risk).toBeCloseTo(0.2 * (1 / 3 / 0.7) * ((0.3 + 0.15) / (0.65 + 0.15)), 12);
    expect(used.risk).toBeGreaterThan(unused.risk);
    expect(unused.risk).toBe(unknown.risk);
    for (const score of [used, unused]) expect(Math.abs(total(score) - score.risk)).toBeLessThan(1e-12);
    expect(byFactor(used)['in-use']).toBeGreaterThan(0);
    expect(byFactor(unused)['in-use']).toBe(0);
  });

  it('says in words whether a running process maps the package', () => {
    const text = (inUse: boolean) =>
      scoreFinding({ ...internal, inUse }, W, AS_OF)
        .contributions.filter((c) => c.factor === 'in-use')
        .map((c) => formatContribution(c));
    expect(text(true)).toEqual([
      expect.stringMatching(/^\+0\.0\d\d in use: a running process maps its files$/),
    ]);
    expect(text(false)).toEqual(['+0.000 not in use: no running process maps its files']);
  });

  it('never lifts exposure past full: an internet-facing, drifted host in use stays at E = 1', () => {
    const full = makeContext(
      {
        epss: { score: 0.2, date: '2026-01-30' },
        cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      },
      { internetExposed: true },
      { drift: { changedPackages: 20 } },
    );
    const before = scoreFinding(full, W, AS_OF);
    const used = scoreFinding({ ...full, inUse: true }, W, AS_OF);
    expect(used.risk).toBeCloseTo(before.risk, 12);
    expect(byFactor(used)['in-use']).toBeCloseTo(0, 12);
  });
});

describe('getExploitProbability', () => {
  it("takes max(model on EPSS's scale, EPSS) in the model population, else EPSS, else the CVSS prior", () => {
    const epss = { score: 0.4, date: '2026-01-30' };
    expect(getExploitProbability(makeContext({ modelProbability: 0.6, epss }).vulnerability)).toEqual({
      value: 0.6,
      source: 'model',
    });
    expect(getExploitProbability(makeContext({ modelProbability: 0.01 }).vulnerability)).toEqual({
      value: 0.01,
      source: 'model',
    });
    // CVE-2019-6977's case: exploitation seen (EPSS 0.878), a KEV listing unlikely (model 0.01%).
    expect(getExploitProbability(makeContext({ modelProbability: 0.0001, epss }).vulnerability)).toEqual({
      value: 0.4,
      source: 'epss',
    });
    expect(getExploitProbability(makeContext({ epss }).vulnerability)).toEqual({
      value: 0.4,
      source: 'epss',
    });
    // With the day's scale the model's rank counts on EPSS's scale: a rare KEV listing (0.01%) the
    // model ranks where EPSS scores 0.5 beats EPSS's own 0.4, and loses to it at 0.2.
    const ranked = (modelOnEpssScale: number) =>
      getExploitProbability(makeContext({ modelProbability: 0.0001, modelOnEpssScale, epss }).vulnerability);
    expect(ranked(0.5)).toEqual({ value: 0.5, source: 'model' });
    expect(ranked(0.2)).toEqual({ value: 0.4, source: 'epss' });
    expect(getExploitProbability(makeContext({ cvssScore: 9.8 }).vulnerability)).toEqual({
      value: 0.136,
      source: 'cvss-prior',
    });
    expect(getExploitProbability(makeContext({ severity: 'MEDIUM' }).vulnerability).value).toBe(0.025);
    expect(getExploitProbability(makeContext({}).vulnerability).value).toBe(0.013);
  });

  it("puts the estimate used in the score's exploit, with EPSS and the model beside it", () => {
    const epss = { score: 0.004, date: '2026-01-30' };
    const model = makeContext({ modelProbability: 0.2, modelHorizonDays: 30, modelAsOf: '2026-03-01', epss });
    expect(scoreFinding(model, W, AS_OF).exploit).toEqual({
      probability: 0.2,
      source: 'model',
      horizonDays: 30,
      asOf: '2026-03-01',
      epss: { score: 0.004, date: '2026-01-30' },
      model: { probability: 0.2, onEpssScale: null, asOf: '2026-03-01' },
    });
    const scaled = makeContext({
      modelProbability: 0.0002,
      modelOnEpssScale: 0.3,
      modelHorizonDays: 30,
      modelAsOf: '2026-03-01',
      epss,
    });
    expect(scoreFinding(scaled, W, AS_OF).exploit).toMatchObject({
      probability: 0.3,
      source: 'model',
      model: { probability: 0.0002, onEpssScale: 0.3, asOf: '2026-03-01' },
    });
    const prior = scoreFinding(makeContext({ cvssScore: 9.8 }), W, AS_OF).exploit;
    expect(prior).toMatchObject({ source: 'cvss-prior', probability: 0.136, epss: null, model: null });
    expect(prior.asOf).toBe(AS_OF.toISOString().slice(0, 10));
  });
});

describe('shapley helpers', () => {
  it('splits a noisy-OR exactly, as computed by hand for 0.5, 0.3, 0.2', () => {
    const shares = getNoisyOrShares([0.5, 0.3, 0.2]);
    expect(shares[0]).toBeCloseTo(0.385, 12);
    expect(shares[1]).toBeCloseTo(0.205, 12);
    expect(shares[2]).toBeCloseTo(0.13, 12);
    expect(noisyOr([0.5, 0.3, 0.2])).toBeCloseTo(0.72, 12);
  });
});

describe('DEFAULT_RISK_WEIGHTS', () => {
  it('equals the defaults of risk.weights in patchcast.yaml', () => {
    expect(configSchema.parse({}).risk.weights).toEqual(DEFAULT_RISK_WEIGHTS);
  });
});
