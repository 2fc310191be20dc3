/**
 * The reliability model artifact: the fitted scorer, its calibration map and a model card, as one
 * JSON file. Writing is deterministic (no timestamps) so the same data gives the same bytes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PatchcastError } from '../../core/errors.js';
import { type Calibrator, parseCalibrator, parseGbdtModel } from '../gbdt/index.js';
import { fromDay } from '../history/index.js';
import type { Advisory } from './advisories.js';
import type { MetricsRow } from './evaluate.js';
import { FEATURE_NAMES } from './features.js';
import type { LogisticModel } from './logistic.js';
import type { ReliabilityScorer } from './scorer.js';
import { type EvaluationReport, type fitShippedRecipe, SHIPPING_PLAN } from './train.js';

/** The model shipped with patchcast. */
export const SHIPPED_RELIABILITY_MODEL_PATH = fileURLToPath(
  new URL('./models/reliability-model.json', import.meta.url),
);

/** What the model is, what it was trained on and how it did on the test period. */
export interface ReliabilityCard {
  version: string;
  data: {
    file: string;
    from: string;
    to: string;
    advisories: number;
    regressionUpdates: number;
    positives: number;
  };
  label: string;
  leakageRules: string[];
  features: string[];
  model: {
    name: string;
    kind: ReliabilityScorer['kind'];
    trees: number | null;
    trainFrom: string | null;
    trainTo: string;
    trainingRows: { rows: number; positives: number };
    calibration: { kind: Calibrator['kind']; outOfTimeYears: number[]; rows: number; positives: number };
    /** Pooled out-of-time ranking quality of the shipped recipe (uncalibrated scores). */
    outOfTime: MetricsRow;
  };
  evaluation: Omit<EvaluationReport, 'candidates'> & { candidatesCompared: number; command: string };
  knownLimits: string[];
}

/** The artifact on disk. */
export interface ReliabilityArtifact {
  format: 'patchcast-reliability-model';
  formatVersion: 1;
  scorer: ReliabilityScorer;
  calibrator: Calibrator;
  card: ReliabilityCard;
}

export const LEAKAGE_RULES = [
  "A row's features use only advisories published before its day, and regression updates published before its day.",
  "An advisory's own label facts (followed_by_regression_update, first_regression_advisory, days_to_regression_update) are never features; the tracker's free-text notes are not read at all (they are edited after the fact).",
  'Training labels are as known on the first day of the period predicted (a regression update published later does not count).',
  'Package regression history counts an earlier advisory as broken from the day its regression update was published.',
];

export const KNOWN_LIMITS = [
  'Debian only (DSA/DLA); the data ends on 2023-04-01, so recent releases and packages are thin.',
  'The label is "Debian published a regression update", which misses breakages fixed silently, in later point releases or never reported.',
  'Regressions are rare (≈ 3 %) and weakly predictable: expect a lift of about 1.5× over the base rate, not a sharp classifier. Use it as a prior for the fleet posterior, not as a gate on its own.',
  'Calibration is a Platt map fitted on out-of-time years whose regression rate (≈ 3.6–3.9 %) is above the 2020–2022 rate (2.9 %), so probabilities run about 1 point high.',
];

/** Builds the artifact from a training run. */
export function makeReliabilityArtifact(
  advisories: readonly Advisory[],
  report: EvaluationReport,
  shipped: ReturnType<typeof fitShippedRecipe>,
  dataFile: string,
): ReliabilityArtifact {
  const { recipe } = shipped;
  const last = advisories[advisories.length - 1]?.day ?? 0;
  const { candidates, ...evaluation } = report;
  return {
    format: 'patchcast-reliability-model',
    formatVersion: 1,
    scorer: recipe.scorer,
    calibrator: recipe.calibrator,
    card: {
      version: `reliability-${fromDay(last)}-${recipe.spec.name}`,
      data: {
        file: dataFile,
        from: fromDay(advisories[0]?.day ?? 0),
        to: fromDay(last),
        advisories: advisories.length,
        regressionUpdates: advisories.filter((a) => a.isRegressionUpdate).length,
        positives: advisories.filter((a) => a.followedByRegression).length,
      },
      label: 'followed_by_regression_update: a later revision of the advisory fixed a regression it caused',
      leakageRules: LEAKAGE_RULES,
      features: [...FEATURE_NAMES],
      model: {
        name: recipe.spec.name,
        kind: recipe.scorer.kind,
        trees: recipe.rounds,
        trainFrom: recipe.spec.trainFrom ?? null,
        trainTo: SHIPPING_PLAN.trainTo,
        trainingRows: shipped.training,
        calibration: {
          kind: recipe.calibrator.kind,
          outOfTimeYears: SHIPPING_PLAN.validYears,
          rows: shipped.calibration.rows,
          positives: shipped.calibration.positives,
        },
        outOfTime: shipped.calibration.validation,
      },
      evaluation: {
        ...evaluation,
        candidatesCompared: candidates.length,
        command: 'patchcast reliability train --out src/predict/reliability/models/reliability-model.json',
      },
      knownLimits: KNOWN_LIMITS,
    },
  };
}

/** Writes an artifact (numbers to 7 significant digits; NaN/Infinity as null). */
export function saveReliabilityModel(path: string, artifact: ReliabilityArtifact): void {
  const round = (_key: string, v: unknown) =>
    typeof v === 'number' ? (Number.isFinite(v) ? Number(v.toPrecision(7)) : null) : v;
  writeFileSync(path, `${JSON.stringify(artifact, round)}\n`);
}

const artifactShape = z.object({
  format: z.literal('patchcast-reliability-model'),
  formatVersion: z.literal(1),
  scorer: z.object({ kind: z.enum(['gbdt-binary', 'logistic']) }).passthrough(),
  calibrator: z.unknown(),
  card: z.object({ version: z.string(), features: z.array(z.string()) }).passthrough(),
});

const logisticShape = z.object({
  kind: z.literal('logistic'),
  featureNames: z.array(z.string()),
  center: z.array(z.number()),
  scale: z.array(z.number()),
  coef: z.array(z.number()),
  missingFeatures: z.array(z.number().int().nonnegative()),
  missingCoef: z.array(z.number()),
  intercept: z.number(),
});

/** Reads and checks an artifact; its features must be the ones this version computes. */
export function loadReliabilityModel(path = SHIPPED_RELIABILITY_MODEL_PATH): ReliabilityArtifact {
  if (!existsSync(path)) {
    throw new PatchcastError('INPUT_NOT_FOUND', `reliability model ${path} does not exist`, {
      hint: 'Train one with `patchcast reliability train --out FILE`.',
    });
  }
  const parsed = artifactShape.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PatchcastError('INPUT_INVALID', `${path}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const value = parsed.data;
  const scorer: ReliabilityScorer =
    value.scorer.kind === 'logistic'
      ? (logisticShape.parse(value.scorer) as LogisticModel)
      : parseGbdtModel(value.scorer, `${path} scorer`);
  if (scorer.featureNames.join() !== FEATURE_NAMES.join()) {
    throw new PatchcastError('INPUT_INVALID', `${path}: its features differ from this patchcast's`, {
      hint: 'Retrain it with `patchcast reliability train`.',
    });
  }
  const calibrator = parseCalibrator(value.calibrator, `${path} calibrator`);
  return { ...(value as unknown as ReliabilityArtifact), scorer, calibrator };
}
