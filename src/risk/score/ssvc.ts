import type { Asset, RiskScore, SsvcDecision, VulnerabilityContext } from '../types.js';
import { isAutomatable, isTotalTechnicalImpact, parseCvssMetrics } from './cvss-vector.js';

/** The four decision points of CISA's SSVC tree and its outcome. */
export type SsvcResult = RiskScore['ssvc'];
export type Exploitation = SsvcResult['exploitation'];
export type MissionWellbeing = SsvcResult['missionWellbeing'];

/**
 * CISA's SSVC decision tree (CISA Stakeholder-Specific Vulnerability Categorization Guide, November
 * 2022, "Decision Tree"; machine-readable as CERTCC/SSVC `data/csv/cisa/cisa_coordinator_2_0_3.csv`).
 * Keys are `exploitation/automatable/technicalImpact`; values are the decisions for Mission &
 * Well-being low, medium, high.
 */
const CISA_TREE: Readonly<Record<string, readonly [SsvcDecision, SsvcDecision, SsvcDecision]>> = {
  'none/no/partial': ['Track', 'Track', 'Track'],
  'none/no/total': ['Track', 'Track', 'Track*'],
  'none/yes/partial': ['Track', 'Track', 'Attend'],
  'none/yes/total': ['Track', 'Track', 'Attend'],
  'poc/no/partial': ['Track', 'Track', 'Track*'],
  'poc/no/total': ['Track', 'Track*', 'Attend'],
  'poc/yes/partial': ['Track', 'Track', 'Attend'],
  'poc/yes/total': ['Track', 'Track*', 'Attend'],
  'active/no/partial': ['Track', 'Track', 'Attend'],
  'active/no/total': ['Track', 'Attend', 'Act'],
  'active/yes/partial': ['Attend', 'Attend', 'Act'],
  'active/yes/total': ['Attend', 'Act', 'Act'],
};

const MW_INDEX: Record<MissionWellbeing, 0 | 1 | 2> = { low: 0, medium: 1, high: 2 };

/** The CISA decision for one combination of decision points. */
export function getSsvcDecision(points: Omit<SsvcResult, 'decision'>): SsvcDecision {
  const row = CISA_TREE[`${points.exploitation}/${points.automatable}/${points.technicalImpact}`];
  if (!row) throw new Error(`not an SSVC combination: ${JSON.stringify(points)}`);
  return row[MW_INDEX[points.missionWellbeing]];
}

const EXPLOITATION_RANK: Record<Exploitation, number> = { none: 0, poc: 1, active: 2 };

/**
 * Exploitation from the evidence at hand: active when listed in KEV or exploitation is reported,
 * PoC when public exploit code exists, none otherwise. A Vulnrichment value counts too, and the more
 * severe of the two wins: a Vulnrichment decision may predate the KEV listing.
 */
export function getExploitation(v: VulnerabilityContext): Exploitation {
  const derived: Exploitation =
    v.kev || v.exploitMaturity === 'active' ? 'active' : v.exploitMaturity === 'none' ? 'none' : 'poc';
  const published = v.ssvc?.exploitation;
  if (!published) return derived;
  return EXPLOITATION_RANK[published] > EXPLOITATION_RANK[derived] ? published : derived;
}

/**
 * CISA's Mission & Well-being from the asset registry (CERTCC/SSVC
 * `data/csvs/mission-and-well-being_v1.csv`). Mission prevalence: essential for a high or critical
 * asset in production, support for a medium one in production or a high/critical one elsewhere,
 * minimal otherwise. Public well-being: material when the asset holds confidential or restricted
 * data, minimal otherwise (an asset registry cannot assert irreversible harm).
 */
export function getMissionWellbeing(asset: Asset): MissionWellbeing {
  const production = isProduction(asset.environment);
  const criticality = asset.criticality ?? 'medium';
  const important = criticality === 'high' || criticality === 'critical';
  const prevalence = important
    ? production
      ? 'essential'
      : 'support'
    : criticality === 'medium' && production
      ? 'support'
      : 'minimal';
  if (prevalence === 'essential') return 'high';
  if (prevalence === 'support') return 'medium';
  return hasSensitiveData(asset) ? 'medium' : 'low';
}

function hasSensitiveData(asset: Asset): boolean {
  const data = asset.dataClassification?.toLowerCase() ?? '';
  return ['confidential', 'restricted', 'secret', 'pci', 'phi', 'pii'].includes(data);
}

/** Production unless the environment says otherwise; an unnamed environment counts as production. */
export function isProduction(environment: string | undefined): boolean {
  return getEnvironmentKind(environment) === 'production';
}

/** Environment names mapped onto production / staging / development. */
export function getEnvironmentKind(
  environment: string | undefined,
): 'production' | 'staging' | 'development' {
  const env = environment?.toLowerCase() ?? '';
  if (/^(stag|pre-?prod|uat|qa|acc)/.test(env)) return 'staging';
  if (/^(dev|test|sandbox|lab|local|ci)/.test(env)) return 'development';
  return 'production';
}

/**
 * The full SSVC result for a finding: Vulnrichment's automatable and technical impact when present,
 * else derived from the CVSS vector (no vector: not automatable, partial impact — the values CISA's
 * guide asks for when there is no evidence of more).
 */
export function getSsvc(v: VulnerabilityContext, asset: Asset): SsvcResult {
  const points = {
    exploitation: getExploitation(v),
    ...getVulnerabilityPoints(v),
    missionWellbeing: getMissionWellbeing(asset),
  } as const;
  return { decision: getSsvcDecision(points), ...points };
}

/** The decision points that depend on the vulnerability alone: Automatable and Technical Impact. */
export function getVulnerabilityPoints(v: VulnerabilityContext): {
  automatable: 'yes' | 'no';
  technicalImpact: 'partial' | 'total';
} {
  const metrics = v.cvssVector ? parseCvssMetrics(v.cvssVector) : undefined;
  const automatable = v.ssvc?.automatable ?? (metrics && isAutomatable(metrics) ? 'yes' : 'no');
  const technicalImpact =
    v.ssvc?.technicalImpact ?? (metrics && isTotalTechnicalImpact(metrics) ? 'total' : 'partial');
  return { automatable, technicalImpact };
}
