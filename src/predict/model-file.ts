import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PatchcastError } from '../core/errors.js';
import type { ExploitModelArtifact } from './exploit-model.js';

/** The shipped, pretrained model (trained on everything before 2026-03-01). */
export const SHIPPED_MODEL_PATH = fileURLToPath(new URL('./models/exploit-model.json', import.meta.url));

/** Reads a model artifact and checks its format. */
export function loadExploitModel(path = SHIPPED_MODEL_PATH): ExploitModelArtifact {
  if (!existsSync(path)) {
    throw new PatchcastError('INPUT_NOT_FOUND', `model file ${path} does not exist`, {
      hint: 'Train one with `patchcast model train --out FILE`, or omit --model to use the shipped model.',
    });
  }
  const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<ExploitModelArtifact>;
  if (value.format !== 'patchcast-exploit-model' || value.formatVersion !== 1 || !value.gbdt || !value.card) {
    throw new PatchcastError('INPUT_INVALID', `${path}: not a patchcast exploit model (format version 1)`);
  }
  return value as ExploitModelArtifact;
}

/** Writes a model artifact as compact JSON (numbers rounded to 9 significant digits). */
export function saveExploitModel(path: string, artifact: ExploitModelArtifact): void {
  const round = (_key: string, v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(9)) : v;
  writeFileSync(path, `${JSON.stringify(artifact, round)}\n`);
}
