import { describe, expect, it } from 'vitest';
import { MIN_EPSS_SCALE_POPULATION, makeEpssScale, mapOntoEpssScale } from './epss-scale.js';

/** A deterministic population: model probabilities spread over 1e-7…1e-2, EPSS with heavy ties. */
function makePopulation(n: number) {
  const model: number[] = [];
  const epss: number[] = [];
  for (let i = 0; i < n; i++) {
    model.push(10 ** (-7 + (5 * ((i * 7919) % n)) / n));
    // EPSS rounded to 5 decimals as FIRST publishes it: most CVEs share a few low values.
    epss.push(Math.max(0.0001, Math.round((((i * 104729) % n) ** 3 / n ** 3) * 1e5) / 1e5));
  }
  return { model, epss };
}

describe('makeEpssScale / mapOntoEpssScale', () => {
  it('gives the CVE the model ranks at quantile q the EPSS score at quantile q', () => {
    const { model, epss } = makePopulation(20_000);
    const scale = makeEpssScale(model, epss);
    expect(scale?.size).toBe(20_000);
    const sortedEpss = [...epss].sort((a, b) => a - b);
    const sortedModel = [...model].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99, 0.999]) {
      const rank = Math.floor(q * 20_000);
      const mapped = mapOntoEpssScale(scale!, sortedModel[rank]!);
      // Within one rank's EPSS values around q (the knots are every 20th rank below the top 1,000).
      const lo = sortedEpss[Math.max(0, rank - 25)]!;
      const hi = sortedEpss[Math.min(19_999, rank + 25)]!;
      expect(mapped).toBeGreaterThanOrEqual(lo * (1 - 1e-6));
      expect(mapped).toBeLessThanOrEqual(hi * (1 + 1e-6));
    }
    // The top CVE gets the top EPSS score.
    expect(mapOntoEpssScale(scale!, sortedModel.at(-1)!)).toBeCloseTo(sortedEpss.at(-1)!, 6);
  });

  it("keeps every order the model makes, even where EPSS scores tie (the model's ranking survives)", () => {
    const { model, epss } = makePopulation(5_000);
    const scale = makeEpssScale(model, epss)!;
    const distinct = [...new Set(model)].sort((a, b) => a - b);
    const mapped = distinct.map((p) => mapOntoEpssScale(scale, p));
    for (let i = 1; i < mapped.length; i++) expect(mapped[i]!).toBeGreaterThan(mapped[i - 1]!);
    // Probabilities outside the population's range: proportional below, towards 1 above.
    expect(mapOntoEpssScale(scale, distinct[0]! / 10)).toBeLessThan(mapped[0]!);
    const above = [0.02, 0.1, 0.5].map((p) => mapOntoEpssScale(scale, p));
    expect(above[0]!).toBeGreaterThan(mapped.at(-1)!);
    expect(above[1]!).toBeGreaterThan(above[0]!);
    expect(above[2]!).toBeGreaterThan(above[1]!);
    expect(above[2]!).toBeLessThan(1);
    expect(mapOntoEpssScale(scale, Number.NaN)).toBeNaN();
  });

  it('is built only from CVEs with both scores, and not from too few', () => {
    const { model, epss } = makePopulation(MIN_EPSS_SCALE_POPULATION + 10);
    const withGaps: Array<number | undefined> = epss.map((e, i) => (i < 11 ? undefined : e));
    expect(makeEpssScale(model, withGaps)).toBeUndefined();
    expect(makeEpssScale(model, epss)?.size).toBe(MIN_EPSS_SCALE_POPULATION + 10);
  });

  it('stays strictly increasing as the model file stores it (9 significant digits)', () => {
    const { model, epss } = makePopulation(3_000);
    const scale = makeEpssScale(model, epss)!;
    const round = (_key: string, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v);
    const copy: typeof scale = JSON.parse(JSON.stringify(scale, round));
    for (let i = 1; i < copy.epss.length; i++) {
      expect(copy.epss[i]!).toBeGreaterThan(copy.epss[i - 1]!);
      expect(copy.model[i]!).toBeGreaterThan(copy.model[i - 1]!);
    }
    for (const p of [1e-6, 3e-5, 1e-3])
      expect(mapOntoEpssScale(copy, p)).toBeCloseTo(mapOntoEpssScale(scale, p), 8);
  });
});
