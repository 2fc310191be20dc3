import { PatchcastError } from '../../core/errors.js';
import { type Db, loadAsset } from '../../store/index.js';
import { changeState } from '../change.js';
import type { ServiceDeps } from '../deps.js';

/**
 * One audited change of an existing asset (`operate`): an unknown id is INPUT_NOT_FOUND and changes
 * nothing; the audit event carries the change's counts.
 */
export async function changeAsset<T extends Record<string, number>>(
  deps: ServiceDeps,
  assetId: string,
  action: 'asset:retire' | 'asset:remove',
  change: (db: Db, at: string) => Promise<T>,
) {
  return changeState(deps, 'operate', async (db, at) => {
    if (!(await loadAsset(db, assetId)))
      throw new PatchcastError('INPUT_NOT_FOUND', `no asset with id ${assetId}`, {
        hint: 'List the asset ids with `patchcast assets`.',
        details: { assetId },
      });
    const counts = await change(db, at.toISOString());
    return { result: { counts }, audit: { action, subject: assetId, data: { ...counts } } };
  });
}
