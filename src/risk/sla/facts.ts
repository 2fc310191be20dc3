import type { FindingContext, VulnerabilityContext } from '../types.js';
import { type BodTimeline, getBodTimeline } from './bod-26-04.js';
import type { Severity } from './types.js';

/** The facts SLA rules test, derived once per finding. */
export interface SlaFacts {
  kev: boolean;
  ransomware: boolean;
  internetExposed: boolean;
  /** Vulnrichment's Automatable, when known. */
  automatable?: boolean;
  technicalImpact?: 'partial' | 'total';
  severity?: Severity;
  criticality?: string;
  environment?: string;
  tags: string[];
  /** The BOD 26-04 timeline; an unknown decision point is assumed at its worse value and named in `assumed`. */
  bod: { timeline: BodTimeline; assumed: string[] };
}

export function getSlaFacts(ctx: FindingContext): SlaFacts {
  const v = ctx.vulnerability;
  const facts: SlaFacts = {
    kev: v.kev !== undefined,
    ransomware: v.kev?.ransomware === true,
    internetExposed: ctx.asset.internetExposed,
    tags: ctx.asset.tags,
    bod: getBod(ctx),
  };
  if (v.ssvc?.automatable) facts.automatable = v.ssvc.automatable === 'yes';
  if (v.ssvc?.technicalImpact) facts.technicalImpact = v.ssvc.technicalImpact;
  const severity = getSeverity(v);
  if (severity) facts.severity = severity;
  if (ctx.asset.criticality) facts.criticality = ctx.asset.criticality;
  if (ctx.asset.environment) facts.environment = ctx.asset.environment;
  return facts;
}

/**
 * Severity as published (GHSA's `moderate` is medium), else from the CVSS base score by the CVSS v3
 * qualitative scale (FIRST CVSS v3.1 specification §5): 9.0+ critical, 7.0+ high, 4.0+ medium, else low.
 */
export function getSeverity(v: VulnerabilityContext): Severity | undefined {
  const named = v.severity?.toLowerCase();
  if (named === 'moderate') return 'medium';
  if (named === 'critical' || named === 'high' || named === 'medium' || named === 'low' || named === 'none')
    return named;
  if (v.cvssScore === undefined) return undefined;
  if (v.cvssScore >= 9) return 'critical';
  if (v.cvssScore >= 7) return 'high';
  if (v.cvssScore >= 4) return 'medium';
  return v.cvssScore > 0 ? 'low' : 'none';
}

/**
 * BOD 26-04's decision points. CISA tells agencies to establish Automatable and Technical Impact
 * themselves when Vulnrichment has none; until someone does, patchcast assumes the worse value
 * (automatable, total) so a missing datum never lengthens a deadline.
 */
function getBod(ctx: FindingContext): SlaFacts['bod'] {
  const ssvc = ctx.vulnerability.ssvc;
  const assumed: string[] = [];
  if (!ssvc?.automatable) assumed.push('automatable');
  if (!ssvc?.technicalImpact) assumed.push('technical impact total');
  const timeline = getBodTimeline({
    kev: ctx.vulnerability.kev !== undefined,
    publiclyExposed: ctx.asset.internetExposed,
    automatable: (ssvc?.automatable ?? 'yes') === 'yes',
    totalImpact: (ssvc?.technicalImpact ?? 'total') === 'total',
  });
  return { timeline, assumed };
}
