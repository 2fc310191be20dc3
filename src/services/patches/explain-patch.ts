import { PatchcastError } from '../../core/errors.js';
import type { Finding } from '../../core/types.js';
import type { PatchWithFindings } from '../../matching/patches.js';
import { loadPatch } from '../../pipeline/patch-selection.js';
import { listFindings } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';

/**
 * One open patch and the findings it closes (`patchcast explain <patch-id>`). An id with no open
 * finding left is INPUT_NOT_FOUND. Needs `read`.
 */
export async function explainPatch(
  deps: ServiceDeps,
  input: { patchId: string },
): Promise<{ patch: PatchWithFindings; findings: Finding[] }> {
  authorize(deps.actor, 'read');
  const patch = await loadPatch(deps.store.db, input.patchId);
  if (!patch)
    throw new PatchcastError('INPUT_NOT_FOUND', `no open patch ${input.patchId}`, {
      hint: 'Patch ids (<asset>/<ecosystem>/<package>) are listed by `patchcast patches`; a patch whose findings are all closed is gone.',
      details: { patchId: input.patchId },
    });
  return { patch, findings: await listFindings(deps.store.db, { ids: patch.findingIds }) };
}
