import { PackageURL } from 'packageurl-js';
import { parseVers } from '../../versioning/index.js';
import type { VexProduct, VexStatement } from './types.js';

/** What a finding is, for VEX: the vulnerability with its aliases, the package, and the asset. */
export interface VexSubject {
  vulnerabilityIds: string[];
  purl?: string;
  packageName: string;
  packageVersion: string;
  assetName: string;
  assetVersion?: string;
}

/**
 * The statement that decides a finding, if any: among the statements about one of its vulnerability
 * ids that cover its package — by purl, by a subcomponent, or by naming the asset (product) itself —
 * the most specific (an exact version beats a range, a range beats the bare product); the last one in
 * document order among equals.
 */
export function findVexStatement(
  subject: VexSubject,
  statements: readonly VexStatement[],
): VexStatement | undefined {
  const ids = new Set(subject.vulnerabilityIds.map((v) => v.toUpperCase()));
  let decided: VexStatement | undefined;
  let best = -1;
  for (const statement of statements) {
    if (!ids.has(statement.vulnerability.toUpperCase())) continue;
    for (const product of statement.products) {
      const score = getSpecificity(product, subject);
      if (score >= 0 && score >= best) {
        best = score;
        decided = statement;
      }
    }
  }
  return decided;
}

/** -1 when the product does not cover the subject; otherwise how precisely it names it. */
function getSpecificity(product: VexProduct, subject: VexSubject): number {
  if (product.subcomponents) {
    const hit = product.subcomponents.some((s) =>
      s.startsWith('pkg:')
        ? subject.purl !== undefined && isSamePackage(s, subject.purl)
        : s === subject.packageName,
    );
    return hit ? 3 : -1;
  }
  if (product.purl) return subject.purl !== undefined && isSamePackage(product.purl, subject.purl) ? 3 : -1;
  if (!product.name || product.name !== subject.assetName) return -1;
  if (product.version)
    return subject.assetVersion === undefined || product.version === subject.assetVersion ? 2 : -1;
  if (product.range)
    return subject.assetVersion !== undefined && isInVers(product.range, subject.assetVersion) ? 1 : -1;
  return 0;
}

function isInVers(range: string, version: string): boolean {
  try {
    return parseVers(range).contains(version);
  } catch {
    return false;
  }
}

/** Same type, namespace and name; the version too when the statement names one. Qualifiers are ignored. */
function isSamePackage(statementPurl: string, packagePurl: string): boolean {
  try {
    const a = PackageURL.fromString(statementPurl);
    const b = PackageURL.fromString(packagePurl);
    if (a.type !== b.type || (a.namespace ?? '') !== (b.namespace ?? '') || a.name !== b.name) return false;
    return !a.version || a.version === b.version;
  } catch {
    return false;
  }
}

/** Whether a decided statement hides the finding: not_affected and fixed do; affected and under_investigation do not. */
export function isSuppressing(statement: VexStatement | undefined): boolean {
  return statement?.status === 'not_affected' || statement?.status === 'fixed';
}
