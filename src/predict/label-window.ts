import { PatchcastError } from '../core/errors.js';
import { EPSS_MAX_AGE_DAYS } from './features/index.js';
import { fromDay, type History } from './history/index.js';

/**
 * The data's cut-off: the day after its last dated fact. Facts dated before it are known, as with
 * ../shared/data's T_dev (2026-03-01: everything dated before it); "as of the cut-off" is the latest
 * day a model can be trained or scored as of.
 */
export function getCutoffDay(history: History): number {
  return history.lastDay + 1;
}

/**
 * Refuses an as-of day whose label window (T, T + horizon] ends after the data's cut-off: KEV
 * additions after it are unknown, and counting them as "not added" makes every backtest and every
 * trained model look at invented negatives.
 */
export function assertLabelsKnown(history: History, lastAsOf: number, horizon: number, what: string): void {
  const end = lastAsOf + horizon;
  const cutoff = getCutoffDay(history);
  if (end <= cutoff) return;
  const latest = cutoff - horizon;
  throw new PatchcastError(
    'MODEL_LABELS_UNKNOWN',
    `${what} ${fromDay(lastAsOf)} + ${horizon} days ends on ${fromDay(end)}, after the data's cut-off ${fromDay(cutoff)} (its last fact is dated ${fromDay(history.lastDay)}): KEV additions up to then are unknown`,
    {
      hint: `Use ${what} ${fromDay(latest)} or earlier, or a shorter --horizon.`,
      details: { asOf: fromDay(lastAsOf), horizonDays: horizon, dataCutoff: fromDay(cutoff) },
    },
  );
}

/** The training days that have a full EPSS file at most EPSS_MAX_AGE_DAYS old. */
export function getDaysWithEpss(history: History, days: readonly number[]): number[] {
  return days.filter((day) => history.epss.some((s) => s.day <= day && day - s.day <= EPSS_MAX_AGE_DAYS));
}

/**
 * Refuses an EPSS-feature model when no training day has EPSS: the EPSS columns would be missing on
 * every training row, so the model could not learn them, yet scoring would feed them in.
 */
export function assertEpssForTraining(history: History, trainingDays: readonly number[]): void {
  if (getDaysWithEpss(history, trainingDays).length > 0) return;
  const files = history.epss.map((s) => fromDay(s.day));
  throw new PatchcastError(
    'MODEL_NO_EPSS',
    `--epss: none of the ${trainingDays.length} training days (${fromDay(trainingDays[0] ?? 0)} … ${fromDay(trainingDays.at(-1) ?? 0)}) has a full EPSS file at most ${EPSS_MAX_AGE_DAYS} days old (EPSS files: ${files.join(', ') || 'none'})`,
  );
}
