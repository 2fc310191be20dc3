import { getEcosystemBase } from '../core/package-name.js';
import type { Finding } from '../core/types.js';
import { getHighestVersion, getLowestVersion } from '../versioning/index.js';

/**
 * A patch is what people apply: on one asset, one upgrade of a source package (distributions: every
 * binary built from it moves together) or one dependency bump (lockfiles, SBOM libraries: the package
 * is the patch), to the version that closes all the findings it groups.
 */
export interface Patch {
  /** Stable id: `<asset>/<ecosystem base, lower case>/<package>` (`orders-db-01/debian/exim4`). */
  id: string;
  asset: string;
  ecosystem: string;
  /** The source package (distributions) or the package itself (lockfiles). */
  package: string;
  /** The source version when known, else the lowest installed version of its binaries. */
  installedVersion: string;
  /** The highest version any of its findings needs (the ecosystem's order); null when none has a fix. */
  targetVersion: string | null;
  /** Installed packages it upgrades, sorted. */
  binaries: string[];
  /** Vulnerabilities it closes, sorted. */
  vulnerabilities: string[];
  /** How many open findings it closes. */
  findings: number;
  /** Σ risk of those findings (unscored ones count 0). */
  riskRemoved: number;
  /** Earliest due date of its findings (YYYY-MM-DD…), null when none has one. */
  due: string | null;
}

/** A finding with the source package of its installed package, when the inventory names one. */
export type PatchFinding = Pick<
  Finding,
  | 'id'
  | 'assetId'
  | 'vulnerabilityId'
  | 'ecosystem'
  | 'packageName'
  | 'installedVersion'
  | 'targetVersion'
  | 'risk'
  | 'dueDate'
> & { sourceName?: string; sourceVersion?: string };

/** A patch with the ids of the findings it closes (for plans and explanations). */
export interface PatchWithFindings extends Patch {
  findingIds: string[];
}

/** The patch id of a package upgrade on an asset. */
export function getPatchId(assetId: string, ecosystem: string, packageName: string): string {
  return `${assetId}/${getEcosystemBase(ecosystem).toLowerCase()}/${packageName}`;
}

/** Whether `text` has a patch id's shape (an asset, an ecosystem and a package, joined by `/`). */
export function isPatchIdShape(text: string): boolean {
  const parts = text.split('/');
  return parts.length >= 3 && parts.every((p) => p.length > 0) && !/\s/.test(text);
}

/** The package a finding's patch upgrades: its source package when the inventory names one. */
export function getPatchPackage(finding: PatchFinding): string {
  return finding.sourceName || finding.packageName;
}

/**
 * Groups findings into patches, per asset and (ecosystem base, patch package); sorted by risk removed
 * (highest first), then due date, then id. Pure: the same findings give the same patches.
 */
export function makePatches(findings: Iterable<PatchFinding>): PatchWithFindings[] {
  const groups = new Map<string, PatchFinding[]>();
  for (const f of findings) {
    const id = getPatchId(f.assetId, f.ecosystem, getPatchPackage(f));
    const list = groups.get(id);
    if (list) list.push(f);
    else groups.set(id, [f]);
  }
  const patches = [...groups].map(([id, list]) => makePatch(id, list));
  return patches.sort(comparePatches);
}

/** Highest risk removed first, then the earliest due date (none last), then id. */
export function comparePatches(a: Patch, b: Patch): number {
  return (
    b.riskRemoved - a.riskRemoved ||
    (a.due ?? '\uffff').localeCompare(b.due ?? '\uffff') ||
    a.id.localeCompare(b.id)
  );
}

function makePatch(id: string, findings: readonly PatchFinding[]): PatchWithFindings {
  const first = findings[0] as PatchFinding;
  const ecosystem = first.ecosystem;
  const sources = findings.map((f) => f.sourceVersion).filter((v): v is string => Boolean(v));
  const installed = sources.length > 0 ? sources : findings.map((f) => f.installedVersion);
  const targets = findings.map((f) => f.targetVersion).filter((v): v is string => Boolean(v));
  let riskRemoved = 0;
  let due: string | null = null;
  for (const f of findings) {
    riskRemoved += f.risk ?? 0;
    if (f.dueDate && (due === null || f.dueDate < due)) due = f.dueDate;
  }
  return {
    id,
    asset: first.assetId,
    ecosystem,
    package: getPatchPackage(first),
    installedVersion: getLowestVersion(ecosystem, installed) ?? first.installedVersion,
    targetVersion: getHighestVersion(ecosystem, targets) ?? null,
    binaries: [...new Set(findings.map((f) => f.packageName))].sort(),
    vulnerabilities: [...new Set(findings.map((f) => f.vulnerabilityId))].sort(),
    findings: findings.length,
    riskRemoved,
    due,
    findingIds: findings.map((f) => f.id).sort(),
  };
}

/** The patch as `patchcast patches --json` prints it (without finding ids). */
export function toPatchJson(patch: PatchWithFindings): Patch {
  const { findingIds: _ids, ...rest } = patch;
  return rest;
}
