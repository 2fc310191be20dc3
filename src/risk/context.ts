/**
 * The I/O edge of risk: gathers, in a few batch queries, everything scoring needs to know about the
 * open, suppressed and excepted findings "as of" an instant. Nothing dated after it is used.
 */

import type { FindingStatus } from '../core/types.js';
import { loadAssetDrift } from '../inventory/drift.js';
import {
  type Db,
  listAssets,
  listExceptions,
  listFindings,
  loadCveOfVulnerabilities,
  loadCvssOf,
  loadEpssAsOfBatch,
  loadKevAsOf,
  loadSightingsAsOf,
  loadSsvcAsOfBatch,
} from '../store/index.js';
import { isExceptionCovering } from './exceptions/covering.js';
import type { Finding, FindingContext, RiskException, VulnerabilityContext } from './types.js';

/** Findings that risk scores: everything not fixed (suppressed and excepted stay visible). */
export const SCORED_STATUSES: readonly FindingStatus[] = ['open', 'suppressed', 'excepted'];

/** Options of `loadFindingContexts`. */
export interface LoadContextOptions {
  asOf: Date;
  /** Only findings on these assets. */
  assetIds?: readonly string[];
  /** Only these findings. */
  findingIds?: readonly string[];
  /** Exploit-model probabilities by CVE (see `loadModelProbabilities`), and their horizon. */
  model?: { probabilities: ReadonlyMap<string, number>; horizonDays: number };
}

type Maturity = VulnerabilityContext['exploitMaturity'];

const MATURITY_RANK: Record<Maturity, number> = { none: 0, poc: 1, weaponized: 2, active: 3 };
/** Sources whose code is a ready-to-run attack (Metasploit modules, nuclei templates). */
const WEAPONIZED_SOURCES = new Set(['metasploit', 'nuclei']);

/** Packages changed since the baseline, for the assets that have one (drift raises exposure). */
async function loadDriftCounts(db: Db, assetIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (assetIds.length === 0) return out;
  const withBaseline = await db
    .selectFrom('asset_snapshots')
    .select('asset_id')
    .where('kind', '=', 'baseline')
    .execute();
  const wanted = new Set(assetIds);
  for (const { asset_id } of withBaseline) {
    if (!wanted.has(asset_id)) continue;
    const d = await loadAssetDrift(db, asset_id, 'baseline');
    out.set(asset_id, d.added.length + d.removed.length + d.changed.length);
  }
  return out;
}

/** One context per scored finding, in a stable order (finding id). */
export async function loadFindingContexts(db: Db, options: LoadContextOptions): Promise<FindingContext[]> {
  const asOf = options.asOf.toISOString();
  const findings = (await listFindings(db, { status: [...SCORED_STATUSES] }))
    .filter((f) => !options.assetIds || options.assetIds.includes(f.assetId))
    .filter((f) => !options.findingIds || options.findingIds.includes(f.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (findings.length === 0) return [];
  const assets = new Map((await listAssets(db)).map((a) => [a.id, a]));
  const vulnIds = [...new Set(findings.map((f) => f.vulnerabilityId))];
  const cveOf = await loadCveOfVulnerabilities(db, vulnIds);
  const cves = [...new Set(cveOf.values())];
  const facts = {
    cveOf,
    cvss: await loadCvssOf(db, [...vulnIds, ...cves]),
    kev: await loadKevAsOf(db, cves, asOf),
    epss: await loadEpssAsOfBatch(db, cves, asOf),
    sightings: await loadSightingsAsOf(db, cves, asOf),
    ssvc: await loadSsvcAsOfBatch(db, cves, asOf),
    model: options.model,
  };
  const controls = (await listExceptions(db, { activeAt: asOf })).filter((e) => e.compensatingControl);
  const drift = await loadDriftCounts(db, [...new Set(findings.map((f) => f.assetId))]);
  const byVulnerability = new Map<string, VulnerabilityContext>();
  const out: FindingContext[] = [];
  for (const finding of findings) {
    const asset = assets.get(finding.assetId);
    if (!asset) continue;
    let vulnerability = byVulnerability.get(finding.vulnerabilityId);
    if (!vulnerability) {
      vulnerability = makeVulnerabilityContext(finding.vulnerabilityId, facts);
      byVulnerability.set(finding.vulnerabilityId, vulnerability);
    }
    const ctx: FindingContext = { finding, asset, vulnerability };
    const named = getControls(finding, vulnerability.cve, controls);
    if (named.length) ctx.compensatingControls = named;
    const changed = drift.get(finding.assetId);
    if (changed) ctx.drift = { changedPackages: changed };
    out.push(ctx);
  }
  return out;
}

interface Facts {
  cveOf: Map<string, string>;
  cvss: Awaited<ReturnType<typeof loadCvssOf>>;
  kev: Awaited<ReturnType<typeof loadKevAsOf>>;
  epss: Awaited<ReturnType<typeof loadEpssAsOfBatch>>;
  sightings: Awaited<ReturnType<typeof loadSightingsAsOf>>;
  ssvc: Awaited<ReturnType<typeof loadSsvcAsOfBatch>>;
  model: LoadContextOptions['model'];
}

function makeVulnerabilityContext(vulnerabilityId: string, facts: Facts): VulnerabilityContext {
  const cve = facts.cveOf.get(vulnerabilityId);
  const out: VulnerabilityContext = { exploitMaturity: 'none', exploitSignals: [] };
  if (cve) out.cve = cve;
  Object.assign(out, pickCvss(facts.cvss.get(vulnerabilityId), cve ? facts.cvss.get(cve) : undefined));
  if (!cve) return out;
  const probability = facts.model?.probabilities.get(cve);
  if (probability !== undefined && facts.model) {
    out.modelProbability = probability;
    out.modelHorizonDays = facts.model.horizonDays;
  }
  const epss = facts.epss.get(cve);
  if (epss) {
    out.epss = { score: epss.score, date: epss.score_date.slice(0, 10) };
    if (epss.percentile !== null) out.epss.percentile = epss.percentile;
  }
  const kev = facts.kev.get(cve);
  if (kev) {
    out.kev = { dateAdded: kev.date_added.slice(0, 10), ransomware: kev.ransomware === 1 };
    if (kev.due_date) out.kev.dueDate = kev.due_date.slice(0, 10);
  }
  setMaturity(out, facts.sightings.get(cve) ?? []);
  const ssvc = facts.ssvc.get(cve);
  if (ssvc) {
    const points: NonNullable<VulnerabilityContext['ssvc']> = {};
    if (ssvc.exploitation) points.exploitation = ssvc.exploitation as 'none' | 'poc' | 'active';
    if (ssvc.automatable) points.automatable = ssvc.automatable as 'yes' | 'no';
    if (ssvc.technical_impact) points.technicalImpact = ssvc.technical_impact as 'partial' | 'total';
    out.ssvc = points;
  }
  return out;
}

/** The advisory's own CVSS when it has a vector, else its CVE record's, else whichever has a score. */
function pickCvss(
  own: { cvss_score: number | null; cvss_vector: string | null; severity: string | null } | undefined,
  cve: { cvss_score: number | null; cvss_vector: string | null; severity: string | null } | undefined,
): Partial<VulnerabilityContext> {
  const candidates = [own, cve].filter((c) => c !== undefined);
  const chosen =
    candidates.find((c) => c.cvss_vector) ?? candidates.find((c) => c.cvss_score !== null) ?? candidates[0];
  const out: Partial<VulnerabilityContext> = {};
  if (chosen?.cvss_score !== null && chosen?.cvss_score !== undefined) out.cvssScore = chosen.cvss_score;
  if (chosen?.cvss_vector) out.cvssVector = chosen.cvss_vector;
  const severity = own?.severity ?? cve?.severity;
  if (severity) out.severity = severity;
  return out;
}

/**
 * Exploit maturity from the evidence dated on or before the scoring day: a KEV listing or a report of
 * exploitation (STIX) is active; Metasploit and nuclei are weaponized; any other exploit code is PoC.
 */
function setMaturity(
  out: VulnerabilityContext,
  sightings: ReadonlyArray<{ source: string; maturity: string | null; seenAt: string }>,
): void {
  let maturity: Maturity = 'none';
  const raise = (m: Maturity) => {
    if (MATURITY_RANK[m] > MATURITY_RANK[maturity]) maturity = m;
  };
  if (out.kev) {
    raise('active');
    out.exploitSignals.push({ source: 'cisa-kev', seenAt: out.kev.dateAdded, maturity: 'active' });
  }
  for (const s of sightings) {
    const m: Maturity =
      s.maturity === 'active' || s.maturity === 'weaponized' || s.maturity === 'poc'
        ? s.maturity
        : WEAPONIZED_SOURCES.has(s.source)
          ? 'weaponized'
          : 'poc';
    raise(m);
    out.exploitSignals.push({ source: s.source, seenAt: s.seenAt.slice(0, 10), maturity: m });
  }
  out.exploitMaturity = maturity;
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
