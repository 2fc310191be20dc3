/**
 * Parsing of saved models and calibrators (JSON artifacts are a boundary): the shape with zod, then
 * the structure a scorer relies on — parallel arrays of one length, children after their parent
 * (so routing always ends at a leaf), feature indices within `featureNames`.
 */
import { z } from 'zod';
import { PatchcastError } from '../../core/errors.js';
import type { Calibrator } from './calibrate.js';
import type { GbdtModel, Tree } from './types.js';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');
const int = z.number().int();

const treeSchema = z.object({
  feature: z.array(int).min(1),
  threshold: z.array(finite),
  missingLeft: z.array(z.boolean()),
  left: z.array(int),
  right: z.array(int),
  value: z.array(finite),
  cover: z.array(finite.refine((c) => c >= 0, 'expected a cover ≥ 0')),
});

const modelSchema = z.object({
  kind: z.literal('gbdt-binary'),
  featureNames: z.array(z.string()),
  baseScore: finite,
  trees: z.array(treeSchema),
});

const calibratorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('isotonic'), x: z.array(finite).min(1), y: z.array(finite).min(1) }),
  z.object({ kind: z.literal('platt'), a: finite, b: finite }),
]);

/** Parses a model read from JSON; throws INPUT_INVALID naming the first bad field. */
export function parseGbdtModel(input: unknown, source = 'model'): GbdtModel {
  const parsed = modelSchema.safeParse(input);
  if (!parsed.success) fail(source, parsed.error.issues[0]);
  const model = parsed.data as GbdtModel;
  for (const [t, tree] of model.trees.entries())
    checkTree(tree, model.featureNames.length, `${source}: trees.${t}`);
  return model;
}

/** Parses a calibrator read from JSON; throws INPUT_INVALID naming the first bad field. */
export function parseCalibrator(input: unknown, source = 'calibrator'): Calibrator {
  const parsed = calibratorSchema.safeParse(input);
  if (!parsed.success) fail(source, parsed.error.issues[0]);
  const cal = parsed.data;
  if (cal.kind === 'isotonic') {
    if (cal.y.length !== cal.x.length) invalid(`${source}: x and y differ in length`);
    if (cal.x.some((v, i) => i > 0 && v < cal.x[i - 1]!)) invalid(`${source}: x must be ascending`);
    if (cal.y.some((v, i) => v < 0 || v > 1 || (i > 0 && v < cal.y[i - 1]!))) {
      invalid(`${source}: y must be non-decreasing probabilities`);
    }
  }
  return cal;
}

function checkTree(tree: Tree, width: number, where: string): void {
  const n = tree.feature.length;
  for (const key of ['threshold', 'missingLeft', 'left', 'right', 'value', 'cover'] as const) {
    if (tree[key].length !== n) invalid(`${where}.${key} has ${tree[key].length} entries, feature has ${n}`);
  }
  for (let i = 0; i < n; i++) {
    const f = tree.feature[i]!;
    if (f === -1) continue;
    if (f < 0 || f >= width) invalid(`${where}.feature.${i} is ${f}, outside the ${width} featureNames`);
    for (const child of [tree.left[i]!, tree.right[i]!]) {
      // Children after their parent: every path is strictly increasing, so it ends at a leaf.
      if (!(child > i && child < n))
        invalid(`${where}: node ${i} has child ${child}, expected ${i + 1}…${n - 1}`);
    }
  }
}

function fail(source: string, issue: z.core.$ZodIssue | undefined): never {
  const path = issue?.path.join('.') ?? '';
  invalid(`${source}: ${path ? `${path}: ` : ''}${issue?.message ?? 'invalid'}`);
}

function invalid(message: string): never {
  throw new PatchcastError('INPUT_INVALID', message, {
    hint: 'Use a model or calibrator written by patchcast (trainGbdt, fitIsotonic, fitPlatt).',
  });
}
