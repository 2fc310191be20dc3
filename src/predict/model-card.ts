import type { GbdtParams } from './gbdt/types.js';

/** What a model is, what it was trained on and how well it did; shipped inside the artifact. */
export interface ModelCard {
  version: string;
  /** Information dated on or before this day was used; labels ended by it too. */
  trainedUntil: string;
  horizonDays: number;
  /** First and last stacked as-of days. */
  dataWindow: { firstAsOf: string; lastAsOf: string };
  rows: number;
  positives: number;
  negativeRate: number;
  features: string[];
  params: GbdtParams;
  validation: { heldOutFrom: string; averagePrecision: number; logLoss: number };
  /** How raw scores become probabilities: the method the code fitted, on which rows. */
  calibration?: { method: 'platt' | 'isotonic'; fittedOn: string };
  /** Feature groups left out (the snapshot-only ablation); absent = every group. */
  without?: string[];
  /** Backtest metrics (per T and pooled, with baselines), attached by `patchcast model train --backtest FILE`. */
  backtest?: unknown;
  /** The champion/challenger comparison of the retrain that produced this model (`patchcast model retrain`). */
  evaluation?: unknown;
  knownLimits: string[];
}

/** Limits every card states (see src/predict/readme.md for the reasoning). */
export const KNOWN_LIMITS = [
  'Label is CISA KEV addition within the horizon: KEV is a US-government catalog and lags real exploitation; CVEs exploited but never listed count as negatives.',
  'CVE descriptions, CVSS, CWE, CPE and references are snapshots (2020–2026) without edit history: an edit made after an as-of date can leak into backtests (reference tags in particular).',
  'Whole periods lack CVSS/CPE (CVE-2020-*, CVE-2022-*, mid-2025 on); vendors there are inferred from description words.',
  'Exploit signals have survivorship bias (deleted GitHub PoCs are missing) and some dates are upper bounds.',
  'Only one full EPSS file (2026-01-30) exists, so the EPSS variant learns EPSS from a single month.',
  'CVEs published and added to KEV inside one window are outside the population (they did not exist at T).',
  'About 10 KEV additions per 30-day window come from the scored population: per-T AUPRC is noisy; read the pooled metrics, and promotion needs minPositives in the compared windows.',
];
