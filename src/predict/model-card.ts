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
  /** The same backtest of a model trained without the snapshot-only feature groups. */
  ablation?: { without: string[]; backtest: unknown };
  /** The champion/challenger comparison of the retrain that produced this model (`patchcast model retrain`). */
  evaluation?: unknown;
  knownLimits: string[];
}

/** Limits every card states (see src/predict/readme.md for the reasoning). */
export const KNOWN_LIMITS = [
  'Label is CISA KEV addition within the horizon: KEV is a US-government catalog and lags real exploitation; CVEs exploited but never listed count as negatives.',
  'Fields written because of the label are never read, whatever their date: KEV-sourced descriptions (42 records), CWE lists (39), vendor/product pairs and CVSS, SSVC exploitation, cisa.gov references.',
  'CVE descriptions, NVD/CNA CVSS, CWE, CPE and references are snapshots (2020-2026) without edit history: an edit made after an as-of date can leak into backtests. The snapshot-only ablation (`--without snapshot`: no text, undated CVSS or references) is reported beside the full model; CWE and CPE vendors stay in both (residual risk).',
  'Older CVEs in CISA Vulnrichment are enriched in KEV (175 of 13,456 records published before 2023-07: 1.3 %, 2.6x the base rate), so their CNA fields and publication days are slightly more often present for KEV CVEs (residual risk).',
  'Population from observed days only: a CVE enters on its publication day, else on its first exploit sighting, full EPSS file or SSVC decision (never its KEV listing); CVEs known only from KEV are never scored, and age is unknown (NaN) without a publication day.',
  'Whole periods lack CVSS/CPE (CVE-2020-*, CVE-2022-*, mid-2025 on); vendors there are inferred from description words.',
  'Exploit signals have survivorship bias (deleted GitHub PoCs are missing) and some dates are upper bounds.',
  'Only one full EPSS file (2026-01-30) exists: EPSS is a baseline only at that as-of day, and `--epss` models cannot be trained on it.',
  'CVEs published and added to KEV inside one window are outside the population (they did not exist at T).',
  'About 10-15 KEV additions per 30-day window come from the scored population: per-T AUPRC is noisy; read the pooled metrics, and promotion needs minPositives in the compared windows.',
];
