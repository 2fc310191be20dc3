/**
 * The model's ranking on EPSS's scale. The exploit model forecasts a CISA KEV listing within its
 * horizon, a much rarer event than EPSS's "exploitation activity within 30 days", so its raw
 * probabilities (median ~1e-5) cannot be compared with EPSS scores: max(model, EPSS) is EPSS almost
 * everywhere, and the model's ranking is lost. Here the model keeps its order and borrows EPSS's
 * scale: among the CVEs of the day's population that have an EPSS score, the CVE the model ranks at
 * quantile q gets the EPSS score found at quantile q of that same population (quantile mapping).
 *
 * The scale is a list of knots (model probability → EPSS score at the same quantile): every rank of
 * the top 1,000 and 1,000 evenly spaced ranks below, so it is stored with the day's scores and read
 * back without the population. Between knots it interpolates in log–log space, below the first
 * knot it is proportional and above the last it approaches 1; knots are made strictly increasing, so
 * the mapping keeps every order the model makes.
 */

/** A population smaller than this gives too coarse a scale; the mapping is then not made. */
export const MIN_EPSS_SCALE_POPULATION = 50;

/** The knots of one day's scale: increasing model probabilities and the EPSS scores they map to. */
export interface EpssScaleKnots {
  /** How many CVEs (scored by the model and by EPSS) the scale was built from. */
  size: number;
  model: number[];
  epss: number[];
}

const TOP_RANKS = 1000;
const SPREAD_RANKS = 1000;
/**
 * The relative step that makes equal neighbouring knots strictly increasing: far below EPSS's five
 * decimals, and above the 9 significant digits model files keep (src/predict/model-file.ts).
 */
const NUDGE = 1e-6;

/**
 * The day's scale from pairs (model probability, EPSS score) of the same CVEs; undefined when fewer
 * than MIN_EPSS_SCALE_POPULATION CVEs have both (EPSS scores ≤ 0 or missing are left out).
 */
export function makeEpssScale(
  model: ArrayLike<number>,
  epss: ArrayLike<number | undefined>,
): EpssScaleKnots | undefined {
  const m: number[] = [];
  const e: number[] = [];
  for (let i = 0; i < model.length; i++) {
    const p = model[i];
    const s = epss[i];
    if (p === undefined || s === undefined || !(p > 0) || !(s > 0) || !Number.isFinite(p)) continue;
    m.push(p);
    e.push(s);
  }
  const n = m.length;
  if (n < MIN_EPSS_SCALE_POPULATION) return undefined;
  const sortedModel = Float64Array.from(m).sort();
  const sortedEpss = Float64Array.from(e).sort();
  const ranks = new Set<number>();
  for (let k = 0; k < SPREAD_RANKS; k++) ranks.add(Math.floor((k * n) / SPREAD_RANKS));
  for (let r = Math.max(0, n - TOP_RANKS); r < n; r++) ranks.add(r);
  const knots: EpssScaleKnots = { size: n, model: [], epss: [] };
  for (const r of [...ranks].sort((a, b) => a - b)) {
    const x = sortedModel[r] ?? 0;
    const lastModel = knots.model.at(-1);
    // Equal model probabilities are one knot: the highest rank's EPSS (ranks are visited upwards).
    if (lastModel !== undefined && x <= lastModel) knots.epss.pop();
    else knots.model.push(x);
    const previous = knots.epss.at(-1);
    const y = sortedEpss[r] ?? 0;
    knots.epss.push(previous !== undefined && y <= previous ? previous * (1 + NUDGE) : y);
  }
  return knots;
}

/** A model probability on the scale's EPSS values (NaN stays NaN). */
export function mapOntoEpssScale(knots: EpssScaleKnots, probability: number): number {
  const { model, epss } = knots;
  if (!Number.isFinite(probability) || model.length === 0) return Number.NaN;
  const first = model[0] ?? 0;
  const last = model.length - 1;
  if (probability <= first) return ((epss[0] ?? 0) * Math.max(probability, 0)) / first;
  const top = model[last] ?? 0;
  // Above the population's highest probability (a CVE scored later, or without EPSS): still
  // increasing, towards 1, so the very top keeps the model's order too.
  if (probability >= top) return 1 - (1 - (epss[last] ?? 0)) * (top / probability);
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if ((model[mid] ?? 0) <= probability) lo = mid;
    else hi = mid;
  }
  const x0 = Math.log(model[lo] ?? 0);
  const x1 = Math.log(model[hi] ?? 0);
  const y0 = Math.log(epss[lo] ?? 0);
  const y1 = Math.log(epss[hi] ?? 0);
  return Math.exp(y0 + ((Math.log(probability) - x0) / (x1 - x0)) * (y1 - y0));
}
