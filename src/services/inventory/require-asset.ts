import { PatchcastError } from '../../core/errors.js';
import { type Db, loadAsset } from '../../store/index.js';

/** STORE_NOT_FOUND unless the asset exists. */
export async function requireAsset(db: Db, assetId: string): Promise<void> {
  if (await loadAsset(db, assetId)) return;
  throw new PatchcastError('STORE_NOT_FOUND', `no asset ${assetId}`, {
    hint: 'List assets with patchcast assets.',
    details: { assetId },
  });
}
