import { z } from 'zod';
import { listAssetPackages } from '../../services/assets/list-asset-packages.js';
import { listAssets } from '../../services/assets/list-assets.js';
import { loadAsset } from '../../services/assets/load-asset.js';
import { loadAssetDrift } from '../../services/inventory/load-asset-drift.js';
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
    /** A running process maps its files (the agent's report); absent when unknown. */
    inUse: z.boolean().optional(),
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

export const ASSET_ROUTES = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/assets',
    tag: 'assets',
    summary: 'Assets with their context, open findings and coverage warnings (as `patchcast assets --json`)',
    access: 'read',
    response: z.array(assetRow),
    handler: async ({ deps }) => (await listAssets(deps)).assets,
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/assets/:id',
    tag: 'assets',
    summary: 'One asset',
    access: 'read',
    params: idParam,
    response: assetSchema,
    handler: async ({ deps, params }) => loadAsset(deps, { assetId: params.id }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/assets/:id/packages',
    tag: 'assets',
    summary: "An asset's installed packages",
    access: 'read',
    params: idParam,
    response: z.array(packageSchema),
    handler: async ({ deps, params }) => listAssetPackages(deps, { assetId: params.id }),
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
    handler: async ({ deps, params, query }) =>
      loadAssetDrift(deps, { assetId: params.id, against: query.against }),
  }),
];
