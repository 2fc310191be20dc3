import type { Finding, RiskException } from '../types.js';

/** Options of exception matching: the ids a finding's vulnerability is also known by (its CVE, aliases). */
export interface CoverOptions {
  vulnerabilityIds?: readonly string[];
}

/**
 * Whether an exception is in force at `now`: created, not yet expired, not revoked. An expired or
 * revoked exception is over for good; it lapses by itself at `expiresAt`, no job has to run for that.
 */
export function isExceptionActive(e: RiskException, now: Date): boolean {
  const at = now.getTime();
  if (Date.parse(e.createdAt) > at) return false;
  if (Date.parse(e.expiresAt) <= at) return false;
  return e.revokedAt === undefined || Date.parse(e.revokedAt) > at;
}

/**
 * Whether an exception's scope takes in a finding, whatever its dates. The scope names the field that
 * must match (`finding` its id, `vulnerability` its vulnerability or an alias, `package` its package
 * name, `asset` its asset); any other field the exception sets narrows it further (a package on one asset).
 */
export function isExceptionCovering(e: RiskException, finding: Finding, options: CoverOptions = {}): boolean {
  const primary = {
    finding: e.findingId,
    vulnerability: e.vulnerabilityId,
    package: e.packageName,
    asset: e.assetId,
  }[e.scope];
  if (primary === undefined) return false;
  const ids = new Set([finding.vulnerabilityId, ...(options.vulnerabilityIds ?? [])]);
  if (e.findingId !== undefined && e.findingId !== finding.id) return false;
  if (e.vulnerabilityId !== undefined && !ids.has(e.vulnerabilityId)) return false;
  if (e.packageName !== undefined && e.packageName !== finding.packageName) return false;
  return e.assetId === undefined || e.assetId === finding.assetId;
}

/**
 * The active exception covering a finding at `now`, or undefined. Of several, the one that runs
 * longest wins (the finding stays excepted until then); ties go to the earliest id.
 */
export function findCoveringException(
  finding: Finding,
  exceptions: readonly RiskException[],
  now: Date,
  options: CoverOptions = {},
): RiskException | undefined {
  let best: RiskException | undefined;
  for (const e of exceptions) {
    if (!isExceptionActive(e, now) || !isExceptionCovering(e, finding, options)) continue;
    if (!best || e.expiresAt > best.expiresAt || (e.expiresAt === best.expiresAt && e.id < best.id)) best = e;
  }
  return best;
}
