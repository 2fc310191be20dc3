import type { PatchJob, PlanAsset, PlanFinding } from './types.js';

/** Packages whose update needs a reboot to take effect (kernel, C library, init). */
const REBOOT_PACKAGES = /^(linux-image|linux-modules|kernel|kernel-core|glibc|libc6|musl|systemd|dbus)(\b|-)/;

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
  /** Known failure probabilities by package name (from the patch-reliability model). */
  failureProbabilities?: Record<string, number>;
  /** Window group of assets that declare none. */
  defaultGroup?: string;
}

/**
 * One job per asset bundling all its open findings: the union of packages (highest target version
 * wins by plain order of appearance), Σ risk, earliest due date, and P(any package fails).
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
    jobs.push(makeJob(asset, list, options));
  }
  return jobs;
}

function makeJob(asset: PlanAsset, findings: readonly PlanFinding[], options: JobOptions): PatchJob {
  const packages = new Map<string, string | undefined>();
  let riskRate = 0;
  let due: number | undefined;
  for (const finding of findings) {
    if (!packages.has(finding.packageName) || finding.targetVersion) {
      packages.set(finding.packageName, finding.targetVersion ?? packages.get(finding.packageName));
    }
    riskRate += finding.risk ?? options.defaultRisk ?? 0.1;
    if (finding.dueDate) {
      const t = Date.parse(finding.dueDate);
      if (!Number.isNaN(t) && (due === undefined || t < due)) due = t;
    }
  }
  const names = [...packages.keys()].sort();
  const reboot = names.some((n) => REBOOT_PACKAGES.test(n));
  let success = 1;
  for (const name of names) {
    success *= 1 - (options.failureProbabilities?.[name] ?? options.defaultFailureProbability ?? 0.02);
  }
  return {
    id: `job:${asset.id}`,
    assetId: asset.id,
    group: asset.windowGroup ?? options.defaultGroup ?? 'default',
    services: [...asset.services].sort(),
    packages: names.map((name) => {
      const targetVersion = packages.get(name);
      return targetVersion ? { name, targetVersion } : { name };
    }),
    findingIds: findings.map((f) => f.id).sort(),
    durationMinutes:
      (options.baseMinutes ?? 10) +
      (options.minutesPerPackage ?? 2) * names.length +
      (reboot ? (options.rebootMinutes ?? 10) : 0),
    reboot,
    riskRate,
    ...(due !== undefined ? { dueDate: new Date(due) } : {}),
    failureProbability: 1 - success,
  };
}
