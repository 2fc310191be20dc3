import { createHash } from 'node:crypto';
import { PatchcastError } from '../../core/errors.js';
import type { Asset } from '../../core/types.js';
import type { AssetInventory, CollectedInventory } from '../../inventory/collect.js';
import type { AssetRecord } from '../../inventory/types.js';
import {
  type AssetInput,
  type Db,
  listAssetImports,
  loadAsset,
  loadAssetConfigHashes,
  loadAssetPackages,
  replaceAssetPackages,
  saveAssetConfigHashes,
  saveAssetSnapshot,
  upsertAsset,
} from '../../store/index.js';
import { announce } from '../auth/events.js';
import { changeState } from '../change.js';
import type { ServiceDeps } from '../deps.js';
import { loadCoverageWarnings } from '../matching/load-coverage-warnings.js';
import type { RefreshResult } from '../matching/refresh.js';
import { updateFindings } from '../pipeline/update-findings.js';

export interface ImportSummary {
  /** Assets whose packages were replaced by this import (matching re-runs for exactly these). */
  assetIds: string[];
  packages: number;
  /** Assets created or updated from registry rows. */
  registryAssets: number;
}

export interface ImportInventoryInput {
  /** What the door read (`collectInventory` for files and directories). */
  collected: CollectedInventory;
  /** Re-match the assets the import touched (default true). */
  match?: boolean;
}

export interface ImportInventoryResult extends ImportSummary {
  /** The re-match of the touched assets, unless `match: false` or nothing was touched. */
  matched?: RefreshResult;
  /** The collection's warnings, then what the store cannot match for the touched assets. */
  warnings: string[];
}

/**
 * Imports collected inventories (`patchcast inventory import`): registry rows upsert assets (never
 * duplicating them), each inventory replaces its asset's packages and is recorded as a dated import,
 * and the import is audited as `inventory:import` — one transaction, so a failure leaves the store as
 * it was. Then the touched assets are re-matched (announced as `finding:changed`). Needs `operate`.
 */
export async function importInventory(deps: ServiceDeps, input: ImportInventoryInput) {
  const { collected } = input;
  // An agent reports its own host only: one inventory, bound to its asset, no registry rows.
  const agent = deps.actor.kind === 'agent';
  if (
    agent &&
    (collected.registry.length > 0 || collected.assets.some((a) => a.assetId !== deps.actor.assetId))
  )
    throw new PatchcastError(
      'AUTH_FORBIDDEN',
      `${deps.actor.id} may report only its own host (${deps.actor.assetId ?? 'none'})`,
      {
        details: { actor: deps.actor.id },
      },
    );
  const { auditEvent, ...summary } = await changeState(deps, agent ? 'agent' : 'operate', async (db, at) => {
    const written = await writeInventory(db, collected, at.toISOString());
    const sources = collected.assets.flatMap((a) => a.sources.map((s) => s.path));
    return {
      result: written,
      audit: {
        action: 'inventory:import',
        subject: written.assetIds.join(', ') || undefined,
        data: { ...written, sources: [...new Set(sources)] },
      },
    };
  });
  const matched =
    input.match !== false && summary.assetIds.length > 0
      ? (
          await updateFindings(deps.store, {
            assetIds: summary.assetIds,
            now: deps.clock.now(),
            config: deps.config,
          })
        ).matched
      : undefined;
  if (matched) await announce(deps, { kind: 'finding:changed', data: { assets: summary.assetIds } });
  const coverage = await loadCoverageWarnings(deps.store.db, summary.assetIds);
  const result: ImportInventoryResult = {
    ...summary,
    ...(matched ? { matched } : {}),
    warnings: [...collected.warnings, ...coverage.map((w) => w.message)],
  };
  return { ...result, auditEvent };
}

/** The import's writes; run inside the service's transaction. */
async function writeInventory(db: Db, collected: CollectedInventory, at: string): Promise<ImportSummary> {
  {
    for (const row of collected.registry) {
      const existing = await loadAsset(db, row.id);
      await upsertAsset(db, fromRegistry(row, existing), at);
    }
    let packages = 0;
    for (const inventory of collected.assets) {
      const existing = await loadAsset(db, inventory.assetId);
      await upsertAsset(db, fromInventory(inventory, existing), at);
      const meta = {
        assetId: inventory.assetId,
        source: inventory.sources.map((s) => s.path).join(', '),
        format: [...new Set(inventory.sources.map((s) => s.format))].join(', '),
        digest: digestOf(inventory),
        importedAt: at,
      };
      await keepPreviousInventory(db, inventory.assetId, meta.digest);
      await replaceAssetPackages(db, meta, inventory.packages);
      if (inventory.configHashes) await saveAssetConfigHashes(db, inventory.assetId, inventory.configHashes);
      packages += inventory.packages.length;
    }
    return {
      assetIds: collected.assets.map((a) => a.assetId),
      packages,
      registryAssets: collected.registry.length,
    };
  }
}

/** Registry rows own the business context; the name and OS already known are kept. */
function fromRegistry(row: AssetRecord, existing: Asset | undefined): AssetInput {
  const asset: AssetInput = {
    id: row.id,
    name: existing?.name ?? row.id,
    kind: row.kind,
    internetExposed: row.internetExposed,
    services: row.services,
    tags: row.tags,
  };
  if (row.environment) asset.environment = row.environment;
  if (row.criticality) asset.criticality = row.criticality;
  if (row.dataClassification) asset.dataClassification = row.dataClassification;
  if (row.owner) asset.owner = row.owner;
  if (row.windowGroup) asset.windowGroup = row.windowGroup;
  if (existing?.osEcosystem) asset.osEcosystem = existing.osEcosystem;
  return asset;
}

/** Inventories own what is installed; the registry's context on an existing asset is kept. */
function fromInventory(inventory: AssetInventory, existing: Asset | undefined): AssetInput {
  if (existing) {
    const { createdAt: _c, updatedAt: _u, ...rest } = existing;
    const merged: AssetInput = { ...rest };
    if (inventory.osEcosystem) merged.osEcosystem = inventory.osEcosystem;
    return merged;
  }
  const asset: AssetInput = {
    id: inventory.assetId,
    name: inventory.name,
    kind: inventory.kind,
    internetExposed: false,
    services: [],
    tags: [],
  };
  if (inventory.osEcosystem) asset.osEcosystem = inventory.osEcosystem;
  return asset;
}

/** A digest of the package set, so two imports of the same inventory can be recognised. */
function digestOf(inventory: AssetInventory): string {
  const lines = inventory.packages.map((p) => `${p.ecosystem}\t${p.name}\t${p.version}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** Before an import changes an asset's packages, its current inventory is kept as "previous", for drift. */
async function keepPreviousInventory(db: Db, assetId: string, digest: string): Promise<void> {
  const [last] = await listAssetImports(db, assetId);
  if (!last || last.digest === digest) return;
  const packages = await loadAssetPackages(db, assetId);
  const configHashes = await loadAssetConfigHashes(db, assetId);
  await saveAssetSnapshot(db, {
    assetId,
    kind: 'previous',
    takenAt: last.imported_at,
    packages,
    ...(configHashes ? { configHashes } : {}),
  });
}
