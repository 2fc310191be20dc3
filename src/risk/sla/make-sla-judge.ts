import { isExceptionCovering } from '../exceptions/covering.js';
import type { Asset, FindingContext, RiskException, SlaResult, VulnerabilityContext } from '../types.js';
import { computeSla } from './compute-sla.js';
import { getDay } from './dates.js';
import type { ExceptionPolicy, SlaRule } from './types.js';

/**
 * `computeSla` for finding after finding, judged once per combination of what the rules read when no
 * exception covers the finding: the asset's facts (exposure, tags, criticality, environment), the
 * vulnerability, the day first seen and whether the finding is closed. A fleet has millions of
 * findings and some thousands of such combinations. A finding an exception covers is judged on its own.
 */
export function makeSlaJudge(
  rules: readonly SlaRule[],
  exceptions: readonly RiskException[],
  policy: ExceptionPolicy,
  now: Date,
): (ctx: FindingContext) => SlaResult {
  const assetKeys = new WeakMap<Asset, string>();
  const vulnerabilityKeys = new WeakMap<VulnerabilityContext, number>();
  const judged = new Map<string, SlaResult>();
  let vulnerabilities = 0;
  const getAssetKey = (a: Asset) => {
    let key = assetKeys.get(a);
    if (key === undefined) {
      key = JSON.stringify([a.internetExposed, a.tags, a.criticality ?? null, a.environment ?? null]);
      assetKeys.set(a, key);
    }
    return key;
  };
  const getVulnerabilityKey = (v: VulnerabilityContext) => {
    let key = vulnerabilityKeys.get(v);
    if (key === undefined) {
      key = vulnerabilities++;
      vulnerabilityKeys.set(v, key);
    }
    return key;
  };
  return (ctx) => {
    const cover = { vulnerabilityIds: ctx.vulnerability.cve ? [ctx.vulnerability.cve] : [] };
    if (exceptions.some((e) => isExceptionCovering(e, ctx.finding, cover)))
      return computeSla(ctx, rules, exceptions, policy, now);
    const f = ctx.finding;
    const closed =
      f.status === 'fixed' ||
      f.status === 'retired' ||
      (f.status === 'suppressed' && f.suppression?.kind === 'vex');
    const key = `${getAssetKey(ctx.asset)}|${getVulnerabilityKey(ctx.vulnerability)}|${getDay(f.firstSeen)}|${closed}`;
    let result = judged.get(key);
    if (!result) {
      result = computeSla(ctx, rules, exceptions, policy, now);
      judged.set(key, result);
    }
    return result;
  };
}
