import { readFileSync } from 'node:fs';
import type { Config } from '../../config/index.js';
import { PatchcastError } from '../../core/errors.js';
import type { Asset } from '../../core/types.js';
import type { PlanInput, PlanOptions } from '../../planning/problem.js';
import type { FreezeConfig, PlanFinding } from '../../planning/types.js';
import {
  type Db,
  getPackageSourceKey,
  listAssets,
  loadFindingBatches,
  loadPackageSources,
} from '../../store/index.js';

/** The planner settings `planning:` in patchcast.yaml gives: weights, job minutes, capacities. */
export function getPlanOptions(config: Config): PlanOptions {
  const { planning } = config;
  const share = planning.availability.default.maxDownPercent;
  return {
    weights: { ...planning.weights },
    baseMinutes: planning.jobMinutes.base,
    minutesPerPackage: planning.jobMinutes.perPackage,
    rebootMinutes: planning.jobMinutes.reboot,
    defaultCapacity: planning.maxConcurrentHosts,
    ...(planning.maxJobMinutesPerOccurrence
      ? { maxJobMinutesPerSlot: planning.maxJobMinutesPerOccurrence }
      : {}),
    ...(share !== undefined ? { serviceDownFraction: share / 100 } : {}),
  };
}

/**
 * Most members of each service down at once: a service's own `maxDown` / `maxDownPercent`, else
 * the default `maxDown` (a default percent is left to the planner's `serviceDownFraction`).
 * A percent is of the service's members, rounded down, at least 1.
 */
export function getServiceLimits(
  config: Config,
  assets: ReadonlyArray<Pick<Asset, 'services'>>,
): Record<string, number> {
  const members = new Map<string, number>();
  for (const asset of assets) for (const s of asset.services) members.set(s, (members.get(s) ?? 0) + 1);
  const { availability } = config.planning;
  const limits: Record<string, number> = {};
  for (const [service, n] of members) {
    const rule = availability.services[service] ?? availability.default;
    if (rule.maxDown !== undefined) limits[service] = rule.maxDown;
    else if (rule !== availability.default && rule.maxDownPercent !== undefined)
      limits[service] = Math.max(1, Math.floor((n * rule.maxDownPercent) / 100));
  }
  return limits;
}

/** Everything a plan is made from: the store's assets and open findings, the config, the clock. */
export async function loadPlanInput(
  db: Db,
  config: Config,
  options: { now: Date; horizonDays: number },
): Promise<PlanInput> {
  const assets = await listAssets(db);
  return {
    now: options.now,
    horizonDays: options.horizonDays,
    assets: assets.map((a) => ({
      id: a.id,
      tags: a.tags,
      services: a.services,
      ...(a.windowGroup ? { windowGroup: a.windowGroup } : {}),
      ...(a.environment ? { environment: a.environment } : {}),
    })),
    findings: await loadPlanFindings(db),
    windows: config.windows,
    freezes: config.freezes.map((f): FreezeConfig => ('ics' in f ? { ...f, icsText: readIcs(f.ics) } : f)),
    rings: config.rings,
    serviceLimits: getServiceLimits(config, assets),
  };
}

/** Open findings as planning needs them, with the source package each belongs to (its patch). */
async function loadPlanFindings(db: Db): Promise<PlanFinding[]> {
  const out: PlanFinding[] = [];
  for await (const batch of loadFindingBatches(db, { status: ['open'] })) {
    const sources = await loadPackageSources(db, [...new Set(batch.map((f) => f.assetId))]);
    for (const f of batch) {
      const source = sources.get(
        getPackageSourceKey(f.assetId, f.ecosystem, f.packageName, f.installedVersion),
      );
      out.push({
        id: f.id,
        assetId: f.assetId,
        packageName: f.packageName,
        ecosystem: f.ecosystem,
        vulnerabilityId: f.vulnerabilityId,
        installedVersion: f.installedVersion,
        ...(f.targetVersion ? { targetVersion: f.targetVersion } : {}),
        ...(f.risk !== undefined ? { risk: f.risk } : {}),
        ...(f.dueDate ? { dueDate: f.dueDate } : {}),
        ...(source ?? {}),
      });
    }
  }
  return out;
}

function readIcs(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new PatchcastError('CONFIG_NOT_FOUND', `freeze calendar ${file} cannot be read`, {
      cause: error,
      details: { file },
    });
  }
}
