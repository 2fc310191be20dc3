import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PatchcastError } from '../core/errors.js';
import type { ExploitModelArtifact } from './exploit-model.js';

/** The `kind` of exploit models in the store's model registry (`model_artifacts`). */
export const EXPLOIT_MODEL_KIND = 'exploit';

/** The shipped, pretrained model (trained on everything before 2026-03-01). */
export const SHIPPED_MODEL_PATH = fileURLToPath(new URL('./models/exploit-model.json', import.meta.url));

/** Reads a model artifact and checks its format. */
export function loadExploitModel(path = SHIPPED_MODEL_PATH): ExploitModelArtifact {
  if (!existsSync(path)) {
    throw new PatchcastError('INPUT_NOT_FOUND', `model file ${path} does not exist`, {
      hint: 'Train one with `patchcast model train --out FILE`, or omit --model to use the shipped model.',
    });
  }
  return parseExploitModel(JSON.parse(readFileSync(path, 'utf8')), path);
}

/** Checks that a parsed value (from a file or the store) is an exploit model artifact. */
export function parseExploitModel(value: unknown, source: string): ExploitModelArtifact {
  const model = (value ?? {}) as Partial<ExploitModelArtifact>;
  if (model.format !== 'patchcast-exploit-model' || model.formatVersion !== 1 || !model.gbdt || !model.card) {
    throw new PatchcastError('INPUT_INVALID', `${source}: not a patchcast exploit model (format version 1)`);
  }
  return model as ExploitModelArtifact;
}

/** Writes a model artifact as compact JSON (numbers rounded to 9 significant digits). */
export function saveExploitModel(path: string, artifact: ExploitModelArtifact): void {
  const round = (_key: string, v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(9)) : v;
  writeFileSync(path, `${JSON.stringify(artifact, round)}\n`);
}
