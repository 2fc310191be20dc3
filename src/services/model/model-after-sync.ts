/**
 * What `patchcast sync` does for the exploit model once every source synced: retrain when due
 * (exploit-model-registry.ts) and store the day's scores with the current model.
 */
import type { Config } from '../../config/index.js';
import { getDurationMinutes } from '../../config/index.js';
import { PatchcastError } from '../../core/errors.js';
import type { TrainExploitModelOptions } from '../../predict/exploit-model.js';
import { type ExploitTrainer, fromDay, type History, toDay } from '../../predict/index.js';
import { type ExploitScoreDay, listModelEvaluations, type Store } from '../../store/index.js';
import {
  EXPLOIT_MODEL_KIND,
  loadCurrentExploitModel,
  type RetrainReport,
  retrainExploitModel,
} from './exploit-model-registry.js';
import { storeExploitScores } from './exploit-scores.js';
import { loadHistoryFromStore } from './history-from-store.js';

/** Whether a retrain is due, and why (or why not). */
export interface RetrainDue {
  due: boolean;
  reason: string;
}

/** Options for `runModelAfterSync`. */
export interface ModelAfterSyncOptions {
  settings: Config['model'];
  now: Date;
  actor: string;
  /** False with `sync --no-retrain`. */
  retrain: boolean;
  /** Reads `model.data` when it is set. */
  loadHistory: (dir: string) => Promise<History>;
  /** Reads the store when `model.data` is not set (default `loadHistoryFromStore`). */
  loadStoreHistory?: () => Promise<History>;
  /** Training options for the challenger (tests: a small grid). */
  train?: Partial<Omit<TrainExploitModelOptions, 'asOf' | 'rows'>>;
  trainChallenger?: ExploitTrainer;
  onStep?: (text: string) => void;
}

/** What the model step did. */
export interface ModelAfterSyncReport {
  retrain: RetrainDue & { report?: RetrainReport };
  scores: { stored: boolean; reason?: string; day?: ExploitScoreDay };
}

/** Retrains when due, then stores the day's scores with the (possibly new) current model. */
export async function runModelAfterSync(
  store: Pick<Store, 'db'>,
  options: ModelAfterSyncOptions,
): Promise<ModelAfterSyncReport> {
  const { settings } = options;
  const wantScores = settings.scores.afterSync;
  if (!wantScores && !(options.retrain && settings.retrain.enabled)) {
    const reason = 'retraining and score storage are both off';
    return { retrain: { due: false, reason }, scores: { stored: false, reason } };
  }
  const history = await loadAfterSyncHistory(store, options);
  if (!history) {
    const reason = 'the store holds no CVE records and model.data is not set: the exploit model has no data';
    return { retrain: { due: false, reason }, scores: { stored: false, reason } };
  }
  // The scoring day: today, or the day after the data ends when the data is older.
  const asOf = Math.min(toDay(options.now.toISOString().slice(0, 10)), history.lastDay + 1);
  const due = await getRetrainDue(store, history, asOf, options);
  const retrain: ModelAfterSyncReport['retrain'] = { ...due };
  if (due.due) {
    retrain.report = await retrainExploitModel(store, history, {
      asOf,
      now: options.now,
      actor: options.actor,
      windows: settings.retrain.windows,
      rule: settings.promotion,
      ...(options.train ? { train: options.train } : {}),
      ...(options.trainChallenger ? { trainChallenger: options.trainChallenger } : {}),
      ...(options.onStep ? { onStep: options.onStep } : {}),
    });
  }
  if (!wantScores) return { retrain, scores: { stored: false, reason: 'model.scores.afterSync is false' } };
  const current = await loadCurrentExploitModel(store.db, options.now);
  const day = await storeExploitScores(store, history, current.artifact, asOf, {
    now: options.now,
    tolerance: { absolute: settings.scores.absoluteTolerance, relative: settings.scores.relativeTolerance },
  });
  return { retrain, scores: { stored: true, day } };
}

/** `model.data` when set, else the store; undefined when the store holds no CVE yet. */
async function loadAfterSyncHistory(
  store: Pick<Store, 'db'>,
  options: ModelAfterSyncOptions,
): Promise<History | undefined> {
  const dir = options.settings.data;
  if (dir) {
    options.onStep?.(`loading the model's history from ${dir}`);
    return options.loadHistory(dir);
  }
  options.onStep?.("loading the model's history from the store");
  try {
    if (options.loadStoreHistory) return await options.loadStoreHistory();
    return await loadHistoryFromStore(store.db, options.onStep ? { onStep: options.onStep } : {});
  } catch (error) {
    if (error instanceof PatchcastError && error.code === 'INPUT_NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * Due when retraining is on, at least `every` has passed (in as-of days) since the last retrain
 * (else since the current model's training day), and the history holds at least
 * `minNewKevEntries` KEV additions after the current model's training day and on or before `asOf`.
 */
export async function getRetrainDue(
  store: Pick<Store, 'db'>,
  history: History,
  asOf: number,
  options: Pick<ModelAfterSyncOptions, 'settings' | 'retrain' | 'now'>,
): Promise<RetrainDue> {
  const { retrain } = options.settings;
  if (!options.retrain) return { due: false, reason: 'skipped (--no-retrain)' };
  if (!retrain.enabled) return { due: false, reason: 'retraining is off (model.retrain.enabled)' };
  const current = await loadCurrentExploitModel(store.db, options.now);
  const trainedUntil = toDay(current.artifact.card.trainedUntil);
  const last = (await listModelEvaluations(store.db, EXPLOIT_MODEL_KIND, 1))[0];
  const since = Math.max(trainedUntil, last ? toDay(last.asOf) : trainedUntil);
  const everyDays = getDurationMinutes(retrain.every) / 1440;
  if (asOf - since < everyDays) {
    return {
      due: false,
      reason: `last retrain or training as of ${fromDay(since)}; next due as of ${fromDay(since + Math.ceil(everyDays))} (data until ${fromDay(history.lastDay)})`,
    };
  }
  let newKev = 0;
  for (const listing of history.kev)
    if (listing.addedDay > trainedUntil && listing.addedDay <= asOf) newKev++;
  if (newKev < retrain.minNewKevEntries) {
    return {
      due: false,
      reason: `${newKev} KEV additions since ${fromDay(trainedUntil)}; a retrain needs ${retrain.minNewKevEntries}`,
    };
  }
  return { due: true, reason: `${newKev} KEV additions and ${asOf - since} days since ${fromDay(since)}` };
}
