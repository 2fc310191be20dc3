import type { BacktestResult, Metrics } from './backtest.js';

/** One scorer's figures on a card: ranking for every scorer, calibration for probabilities. */
export interface CardMetrics {
  auprc: number | null;
  rocAuc: number | null;
  /** Coverage (recall) at effort 1, 5, 10, 15 %. */
  coverage: Array<number | null>;
  /** Efficiency (precision) at effort 10 %. */
  efficiencyAt10: number | null;
  brier?: number | null;
  ece?: number | null;
}

/** The backtest as a card carries it: per as-of day and pooled, the model beside the baselines. */
export interface CardBacktest {
  horizonDays: number;
  firstAsOf: string;
  lastAsOf: string;
  scorerLabels: Record<string, string>;
  pooled: { population: number; positives: number; scorers: Record<string, CardMetrics> };
  points: Array<{
    asOf: string;
    population: number;
    positives: number;
    scorers: Record<string, CardMetrics>;
  }>;
}

/** Compacts a backtest.json (no curves, 5 significant digits) for the model card. */
export function getCardBacktest(result: BacktestResult): CardBacktest {
  const scorers = (all: Record<string, Metrics>) =>
    Object.fromEntries(Object.entries(all).map(([id, m]) => [id, getCardMetrics(m)]));
  return {
    horizonDays: result.horizonDays,
    firstAsOf: result.points[0]?.asOf ?? '',
    lastAsOf: result.points.at(-1)?.asOf ?? '',
    scorerLabels: result.scorerLabels,
    pooled: { ...result.pooled, scorers: scorers(result.pooled.scorers) },
    points: result.points.map((p) => ({ ...p, scorers: scorers(p.scorers) })),
  };
}

function getCardMetrics(m: Metrics): CardMetrics {
  const out: CardMetrics = {
    auprc: round(m.averagePrecision),
    rocAuc: round(m.rocAuc),
    coverage: m.atEffort.map((e) => round(e.coverage)),
    efficiencyAt10: round(m.atEffort.find((e) => e.effort === 0.1)?.efficiency),
  };
  if (m.brier !== undefined) out.brier = round(m.brier);
  if (m.ece !== undefined) out.ece = round(m.ece);
  return out;
}

function round(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : Number(v.toPrecision(5));
}

/** The scorers every per-day row shows beside the model, whether or not they could run that day. */
export const CARD_BASELINES = ['epss', 'cvss9', 'cvss7'] as const;

/**
 * Card rows for the terminal: pooled per scorer, then per as-of day the model beside EPSS and CVSS
 * (AUPRC and coverage at 10 % effort each). A baseline that could not run on a day reads `n/a` (EPSS
 * needs a full daily file at most 45 days old), never a blank that looks like a zero.
 */
export function getCardBacktestRows(backtest: CardBacktest): {
  pooled: Array<Record<string, string>>;
  perDay: Array<Record<string, string>>;
} {
  const f = (v: number | null | undefined, d = 4) => (v === null || v === undefined ? '-' : v.toFixed(d));
  const pooled = Object.entries(backtest.pooled.scorers).map(([id, m]) => ({
    scorer: backtest.scorerLabels[id] ?? id,
    auprc: f(m.auprc, 5),
    rocAuc: f(m.rocAuc, 3),
    'cov@1%': f(m.coverage[0], 2),
    'cov@5%': f(m.coverage[1], 2),
    'cov@10%': f(m.coverage[2], 2),
    'eff@10%': f(m.efficiencyAt10, 5),
    brier: f(m.brier, 6),
    ece: f(m.ece, 6),
  }));
  const cell = (m: CardMetrics | undefined) => (m ? `${f(m.auprc, 5)} / ${f(m.coverage[2], 2)}` : 'n/a');
  const perDay = backtest.points.map((p) => ({
    asOf: p.asOf,
    n: String(p.population),
    pos: String(p.positives),
    ...Object.fromEntries(['model', ...CARD_BASELINES].map((id) => [id, cell(p.scorers[id])])),
  }));
  return { pooled, perDay };
}
