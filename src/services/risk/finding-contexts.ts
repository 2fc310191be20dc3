/**
 * The I/O edge of risk: gathers everything scoring needs to know about the open, suppressed and
 * excepted findings "as of" an instant, one batch of assets at a time, so memory does not grow with
 * the fleet. What the batches share — each vulnerability's facts (vulnerability-context.ts), the
 * assets, the compensating controls — is loaded once. Nothing dated after the instant is used.
 */

import { compareText } from '../../core/collections.js';
import type { FindingStatus } from '../../core/types.js';
import { isExceptionCovering } from '../../risk/exceptions/covering.js';
import type {
  Asset,
  Finding,
  FindingContext,
  RiskException,
  VulnerabilityContext,
} from '../../risk/types.js';
import {
  type Db,
  type FindingFilter,
  getAssetPackageKey,
  listAssets,
  listExceptions,
  loadFindingBatches,
  loadPackageUsage,
} from '../../store/index.js';
import { loadStoredAssetDrift } from '../inventory/load-asset-drift.js';
import { makeVulnerabilityCache, type VulnerabilityCacheOptions } from './vulnerability-context.js';

export type { LoadModelProbabilities, ModelProbabilities } from './vulnerability-context.js';

/** Findings that risk scores: everything not fixed (suppressed and excepted stay visible). */
export const SCORED_STATUSES: readonly FindingStatus[] = ['open', 'suppressed', 'excepted'];

/** Options of `loadFindingContexts` and `loadFindingContextBatches`. */
export interface LoadContextOptions extends VulnerabilityCacheOptions {
  /** Only findings on these assets. */
  assetIds?: readonly string[];
  /** Only these findings. */
  findingIds?: readonly string[];
  /** Assets per batch (default: the store's `FINDING_BATCH_ASSETS`). */
  batchAssets?: number;
}

/** What every batch shares, loaded once. */
interface Shared {
  assets: Map<string, Asset>;
  controls: RiskException[];
  /** Assets with a baseline snapshot (drift is counted against it). */
  baselines: Set<string>;
}

/** One context per scored finding, in a stable order (finding id). Holds them all: for small scopes. */
export async function loadFindingContexts(db: Db, options: LoadContextOptions): Promise<FindingContext[]> {
  const out: FindingContext[] = [];
  for await (const batch of loadFindingContextBatches(db, options)) for (const c of batch) out.push(c);
  return out.sort((a, b) => compareIds(a.finding, b.finding));
}

/**
 * One context per scored finding, a batch of whole assets at a time (each batch in finding id order).
 * A vulnerability's context is one object shared by its findings in every batch.
 */
export async function* loadFindingContextBatches(
  db: Db,
  options: LoadContextOptions,
): AsyncGenerator<FindingContext[]> {
  const filter: FindingFilter = { status: [...SCORED_STATUSES] };
  if (options.assetIds) filter.assetIds = options.assetIds;
  if (options.findingIds) filter.ids = options.findingIds;
  const batching = options.batchAssets === undefined ? {} : { batchAssets: options.batchAssets };
  const vulnerabilities = makeVulnerabilityCache(db, options);
  let shared: Shared | undefined;
  for await (const batch of loadFindingBatches(db, filter, batching)) {
    shared ??= await loadShared(db, options.asOf.toISOString());
    const current = shared;
    const findings = batch.filter((f) => current.assets.has(f.assetId)).sort(compareIds);
    const known = await vulnerabilities.load(findings.map((f) => f.vulnerabilityId));
    const drift = await loadDriftCounts(db, current.baselines, findings);
    const usage = await loadPackageUsage(db, findings.map(getFindingPackage));
    yield findings.map((finding) => makeContext(finding, current, known, drift, usage));
  }
}

function makeContext(
  finding: Finding,
  shared: Shared,
  vulnerabilities: ReadonlyMap<string, VulnerabilityContext>,
  drift: ReadonlyMap<string, number>,
  usage: ReadonlyMap<string, boolean>,
): FindingContext {
  const vulnerability = vulnerabilities.get(finding.vulnerabilityId) as VulnerabilityContext;
  const ctx: FindingContext = { finding, asset: shared.assets.get(finding.assetId) as Asset, vulnerability };
  const named = getControls(finding, vulnerability.cve, shared.controls);
  if (named.length) ctx.compensatingControls = named;
  const changed = drift.get(finding.assetId);
  if (changed) ctx.drift = { changedPackages: changed };
  const inUse = usage.get(getAssetPackageKey(getFindingPackage(finding)));
  if (inUse !== undefined) ctx.inUse = inUse;
  return ctx;
}

/** The installed package a finding is about, as `asset_packages` keys it. */
function getFindingPackage(finding: Finding) {
  return {
    assetId: finding.assetId,
    ecosystem: finding.ecosystem,
    name: finding.packageName,
    version: finding.installedVersion,
  };
}

async function loadShared(db: Db, asOf: string): Promise<Shared> {
  const assets = new Map((await listAssets(db)).map((a) => [a.id, a]));
  const controls = (await listExceptions(db, { activeAt: asOf })).filter((e) => e.compensatingControl);
  const withBaseline = await db
    .selectFrom('asset_snapshots')
    .select('asset_id')
    .where('kind', '=', 'baseline')
    .execute();
  return { assets, controls, baselines: new Set(withBaseline.map((r) => r.asset_id)) };
}

/** Packages changed since the baseline, for the batch's assets that have one (drift raises exposure). */
async function loadDriftCounts(
  db: Db,
  baselines: ReadonlySet<string>,
  findings: readonly Finding[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const assetId of new Set(findings.map((f) => f.assetId))) {
    if (!baselines.has(assetId)) continue;
    const d = await loadStoredAssetDrift(db, assetId, 'baseline');
    out.set(assetId, d.added.length + d.removed.length + d.changed.length);
  }
  return out;
}

function compareIds(a: Finding, b: Finding): number {
  return compareText(a.id, b.id);
}

/** The compensating controls named by exceptions in force that cover this finding (the exceptions module's scope rule). */
function getControls(
  finding: Finding,
  cve: string | undefined,
  controls: readonly RiskException[],
): string[] {
  const out = new Set<string>();
  for (const c of controls) {
    if (c.compensatingControl && isExceptionCovering(c, finding, { vulnerabilityIds: cve ? [cve] : [] })) {
      out.add(c.compensatingControl);
    }
  }
  return [...out].sort();
}
