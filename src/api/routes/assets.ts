import { z } from 'zod';
import { PatchcastError } from '../../core/errors.js';
import { loadAssetDrift } from '../../inventory/drift.js';
import { loadCoverageWarnings } from '../../matching/coverage.js';
import { countOpenFindingsByAsset, listAssets, loadAsset, loadAssetPackages } from '../../store/index.js';
import { defineRoute } from '../route.js';
import { assetSchema, idParam } from '../schemas.js';

const assetRow = assetSchema.extend({ openFindings: z.number().int(), warnings: z.array(z.string()) });
const packageSchema = z
  .object({
    ecosystem: z.string(),
    name: z.string(),
    version: z.string(),
    purl: z.string().optional(),
    sourceName: z.string().optional(),
    sourceVersion: z.string().optional(),
  })
  .meta({ id: 'InstalledPackage' });
const driftSchema = z
  .object({
    assetId: z.string(),
    against: z.enum(['baseline', 'previous']),
    since: z.string().nullable(),
    added: z.array(z.looseObject({})),
    removed: z.array(z.looseObject({})),
    changed: z.array(z.looseObject({})),
    configChanged: z.array(z.looseObject({})),
  })
  .meta({ id: 'DriftReport' });

async function requireAsset(db: Parameters<typeof loadAsset>[0], id: string) {
  const asset = await loadAsset(db, id);
  if (!asset)
    throw new PatchcastError('STORE_NOT_FOUND', `no asset ${id}`, { hint: 'GET /api/v1/assets lists them.' });
  return asset;
}

export const ASSET_ROUTES = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/assets',
    tag: 'assets',
    summary: 'Assets with their context, open findings and coverage warnings (as `patchcast assets --json`)',
    access: 'read',
    response: z.array(assetRow),
    handler: async ({ deps }) => {
      const db = deps.store.db;
      const open = await countOpenFindingsByAsset(db);
      const warnings = await loadCoverageWarnings(db);
      return (await listAssets(db)).map((a) => ({
        ...a,
        openFindings: open.get(a.id) ?? 0,
        warnings: warnings.filter((w) => w.assetId === a.id).map((w) => w.message),
      }));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/assets/:id',
    tag: 'assets',
    summary: 'One asset',
    access: 'read',
    params: idParam,
    response: assetSchema,
    handler: async ({ deps, params }) => requireAsset(deps.store.db, params.id),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/assets/:id/packages',
    tag: 'assets',
    summary: "An asset's installed packages",
    access: 'read',
    params: idParam,
    response: z.array(packageSchema),
    handler: async ({ deps, params }) => {
      await requireAsset(deps.store.db, params.id);
      return loadAssetPackages(deps.store.db, params.id);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/assets/:id/drift',
    tag: 'assets',
    summary: 'What changed on an asset since its baseline or previous inventory (as `patchcast drift`)',
    access: 'read',
    params: idParam,
    query: z.strictObject({ against: z.enum(['baseline', 'previous']).default('baseline') }),
    response: driftSchema,
    handler: async ({ deps, params, query }) => {
      await requireAsset(deps.store.db, params.id);
      return loadAssetDrift(deps.store.db, params.id, query.against);
    },
  }),
];
