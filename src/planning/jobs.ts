import { makePatches, type PatchFinding, type PatchWithFindings } from '../matching/patches.js';
import { getHighestVersion } from '../versioning/index.js';
import type { FailureSource, JobPatch, PatchJob, PlanAsset, PlanFinding } from './types.js';

/** Packages whose update needs a reboot to take effect (kernel, C library, init). */
const REBOOT_PACKAGES = /^(linux-image|linux-modules|kernel|kernel-core|glibc|libc6|musl|systemd|dbus)(\b|-)/;

/** The failure probability of a package the reliability model did not score. */
export const DEFAULT_FAILURE_PROBABILITY = 0.02;

/** Knobs for turning findings into jobs; all optional. */
export interface JobOptions {
  /** Minutes per job before packages (connect, snapshot, verify). */
  baseMinutes?: number;
  minutesPerPackage?: number;
  rebootMinutes?: number;
  /** Risk of a finding with no stored score. */
  defaultRisk?: number;
  /** Failure probability of a package with no history (the prior mean). */
  defaultFailureProbability?: number;
  /** Known failure probabilities by patch id (from the patch-reliability model). */
  failureProbabilities?: Record<string, number>;
  /** Window group of assets that declare none. */
  defaultGroup?: string;
  /**
   * Per window group, the longest job that fits a window occurrence (minutes before its cutoff). A job
   * longer than that is split by patch into parts that fit; a single patch too long stays one part.
   */
  maxJobMinutes?: ReadonlyMap<string, number>;
}

/**
 * One job per asset bundling all its open findings, grouped into patches: each package to the highest
 * target version its findings need (the ecosystem's version order), Σ risk, earliest due date, and
 * P(any package fails). A job too long for every window of its group is split by patch (`#1`, `#2`…).
 */
export function makeJobs(
  findings: readonly PlanFinding[],
  assets: readonly PlanAsset[],
  options: JobOptions = {},
): PatchJob[] {
  const byAsset = new Map<string, PlanFinding[]>();
  for (const finding of findings) {
    const list = byAsset.get(finding.assetId) ?? [];
    list.push(finding);
    byAsset.set(finding.assetId, list);
  }
  const assetIndex = new Map(assets.map((a) => [a.id, a]));
  const jobs: PatchJob[] = [];
  for (const [assetId, list] of [...byAsset].sort(([a], [b]) => a.localeCompare(b))) {
    const asset = assetIndex.get(assetId);
    if (!asset) continue;
    jobs.push(...makeAssetJobs(asset, list, options));
  }
  return jobs;
}

function makeAssetJobs(asset: PlanAsset, findings: readonly PlanFinding[], options: JobOptions): PatchJob[] {
  const whole = makeJob(`job:${asset.id}`, asset, findings, options);
  const max = options.maxJobMinutes?.get(whole.group);
  if (max === undefined || whole.durationMinutes <= max) return [whole];
  const byId = new Map(findings.map((f) => [f.id, f]));
  const parts: PlanFinding[][] = [];
  for (const patch of whole.patches) {
    const list = patch.findingIds.map((id) => byId.get(id)).filter((f): f is PlanFinding => f !== undefined);
    const part = parts.find((p) => makeJob('', asset, [...p, ...list], options).durationMinutes <= max);
    if (part) part.push(...list);
    else parts.push(list);
  }
  if (parts.length === 1) return [whole];
  return parts.map((list, i) => makeJob(`job:${asset.id}#${i + 1}`, asset, list, options));
}

function makeJob(
  id: string,
  asset: PlanAsset,
  findings: readonly PlanFinding[],
  options: JobOptions,
): PatchJob {
  const patches = makePatches(findings.map((f) => toPatchFinding(f, options)));
  const packages = getPackageTargets(findings);
  let riskRate = 0;
  let due: number | undefined;
  for (const finding of findings) {
    riskRate += finding.risk ?? options.defaultRisk ?? 0.1;
    if (finding.dueDate) {
      const t = Date.parse(finding.dueDate);
      if (!Number.isNaN(t) && (due === undefined || t < due)) due = t;
    }
  }
  const names = [...packages.keys()].sort();
  const reboot = names.some((n) => REBOOT_PACKAGES.test(n));
  const failure = getFailure(patches, options);
  return {
    id,
    assetId: asset.id,
    group: asset.windowGroup ?? options.defaultGroup ?? 'default',
    services: [...asset.services].sort(),
    packages: names.map((name) => {
      const targetVersion = packages.get(name);
      return targetVersion ? { name, targetVersion } : { name };
    }),
    patches: patches.map(toJobPatch),
    findingIds: findings.map((f) => f.id).sort(),
    durationMinutes:
      (options.baseMinutes ?? 10) +
      (options.minutesPerPackage ?? 2) * names.length +
      (reboot ? (options.rebootMinutes ?? 10) : 0),
    reboot,
    riskRate,
    ...(due !== undefined ? { dueDate: new Date(due) } : {}),
    failureProbability: failure.probability,
    failureSource: failure.source,
  };
}

/** Per package name, the highest target version any of its findings needs (by its ecosystem's order). */
function getPackageTargets(findings: readonly PlanFinding[]): Map<string, string | undefined> {
  const targets = new Map<string, { ecosystem: string; versions: string[] }>();
  for (const f of findings) {
    const entry = targets.get(f.packageName) ?? { ecosystem: f.ecosystem ?? '', versions: [] };
    if (f.targetVersion) entry.versions.push(f.targetVersion);
    targets.set(f.packageName, entry);
  }
  return new Map([...targets].map(([name, t]) => [name, getHighestVersion(t.ecosystem, t.versions)]));
}

/**
 * P(any patch fails): the reliability model's score of a patch where it has one, else the default
 * rate for each package the patch upgrades; `model` when every patch was scored, `mixed` when some were.
 */
function getFailure(
  patches: readonly PatchWithFindings[],
  options: JobOptions,
): { probability: number; source: FailureSource } {
  const fallback = options.defaultFailureProbability ?? DEFAULT_FAILURE_PROBABILITY;
  let success = 1;
  let scored = 0;
  for (const patch of patches) {
    const known = options.failureProbabilities?.[patch.id];
    if (known !== undefined) scored++;
    success *= known !== undefined ? 1 - known : (1 - fallback) ** patch.binaries.length;
  }
  return {
    probability: 1 - success,
    source: scored === 0 ? 'default' : scored === patches.length ? 'model' : 'mixed',
  };
}

function toPatchFinding(f: PlanFinding, options: JobOptions): PatchFinding {
  return {
    id: f.id,
    assetId: f.assetId,
    vulnerabilityId: f.vulnerabilityId ?? f.id,
    ecosystem: f.ecosystem ?? '',
    packageName: f.packageName,
    installedVersion: f.installedVersion ?? '',
    ...(f.targetVersion ? { targetVersion: f.targetVersion } : {}),
    risk: f.risk ?? options.defaultRisk ?? 0.1,
    ...(f.dueDate ? { dueDate: f.dueDate } : {}),
    ...(f.sourceName ? { sourceName: f.sourceName } : {}),
    ...(f.sourceVersion ? { sourceVersion: f.sourceVersion } : {}),
  };
}

function toJobPatch(p: PatchWithFindings): JobPatch {
  return {
    id: p.id,
    package: p.package,
    ...(p.targetVersion ? { targetVersion: p.targetVersion } : {}),
    binaries: p.binaries,
    findingIds: p.findingIds,
  };
}
