/**
 * Risk at fleet scale (issue #18): R = L · I · E combined from what each side decides once — per
 * vulnerability L, its technical impact and reach; per asset I and the exposure inputs; per finding
 * only package usage and compensating controls — with the numbers of score/factors.ts, so a risk here
 * equals `scoreFinding(context).risk` to the bit. Pure: the caller streams findings and writes risks.
 */
import { compareText } from '../core/collections.js';
import { findCoveringException, isExceptionCovering } from './exceptions/covering.js';
import { getExposure, getImpact, getLikelihood, getReach } from './score/factors.js';
import type { RiskWeights } from './score/levels.js';
import { getVulnerabilityPoints } from './score/ssvc.js';
import type { Asset, Finding, RiskException, VulnerabilityContext } from './types.js';

/** What a vulnerability decides of every finding's risk. */
export interface VulnerabilityFactors {
  likelihood: number;
  /** SSVC technical impact is total. */
  total: boolean;
  /** How much of an internet-facing asset's exposure it can use (1, ½, ¼). */
  reachLevel: number;
  cve?: string;
}

export function getVulnerabilityFactors(
  v: VulnerabilityContext,
  weights: RiskWeights,
  asOf: Date,
): VulnerabilityFactors {
  const points = getVulnerabilityPoints(v);
  const out: VulnerabilityFactors = {
    likelihood: getLikelihood(v, weights, asOf),
    total: points.technicalImpact === 'total',
    reachLevel: getReach(v, points.automatable).level,
  };
  if (v.cve) out.cve = v.cve;
  return out;
}

/** A finding as the fast path sees it: its keys, words for ties and exceptions, and its own facts. */
export interface FleetFinding {
  id: string;
  assetId: string;
  vulnerabilityId: string;
  packageName: string;
  open: boolean;
  /** Whether a running process maps the package; undefined when unknown. */
  inUse: boolean | undefined;
}

/** What every finding of the pass shares. */
export interface FleetInputs {
  weights: RiskWeights;
}

/** Per-asset parts of risk, computed once per asset (environment names are parsed once). */
interface AssetFactors {
  impactTotal: number;
  impactPartial: number;
  internetExposed: boolean;
  changedPackages: number;
  /** E by reach and usage when no control applies (the usual case). */
  exposure: Map<number, number>;
}

/** A risk calculator for the fleet: one call per finding, per-asset parts cached. */
export function makeFleetRisk(inputs: FleetInputs) {
  const assets = new Map<string, AssetFactors>();
  const w = inputs.weights;
  return {
    hasAsset: (assetId: string): boolean => assets.has(assetId),
    /** Sets an asset's parts (its drift: packages changed since the baseline, 0 without one). */
    setAsset(asset: Asset, changedPackages: number): void {
      assets.set(asset.id, {
        impactTotal: getImpact(asset, w, true),
        impactPartial: getImpact(asset, w, false),
        internetExposed: asset.internetExposed === true,
        changedPackages,
        exposure: new Map(),
      });
    },
    /**
     * A finding's risk, exactly `scoreFinding`'s: its asset, its vulnerability's factors, its package
     * usage (undefined: unknown) and how many distinct compensating controls cover it (`countControls`).
     */
    getRisk(assetId: string, v: VulnerabilityFactors, inUse: boolean | undefined, controls: number): number {
      const a = assets.get(assetId);
      if (!a) throw new Error(`risk: asset ${assetId} was not set`);
      const i = v.total ? a.impactTotal : a.impactPartial;
      return v.likelihood * i * getAssetExposure(a, v.reachLevel, inUse, controls, w);
    },
  };
}

function getAssetExposure(
  a: AssetFactors,
  reachLevel: number,
  inUse: boolean | undefined,
  controls: number,
  w: RiskWeights,
): number {
  const input = {
    internetExposed: a.internetExposed,
    reachLevel,
    changedPackages: a.changedPackages,
    inUse,
    controls,
  };
  if (controls > 0) return getExposure(input, w);
  const key = reachLevel * 4 + (inUse === undefined ? 0 : inUse ? 1 : 2);
  let e = a.exposure.get(key);
  if (e === undefined) {
    e = getExposure(input, w);
    a.exposure.set(key, e);
  }
  return e;
}

/**
 * Counts the distinct compensating controls covering a finding (the exceptions module's scope
 * rule). The finding is built (its id derived) only when a control's asset, package and
 * vulnerability fields already match: most findings are covered by none.
 */
export function makeControlCounter(controls: readonly RiskException[]) {
  const named = controls.filter((c) => c.compensatingControl);
  return (
    assetId: string,
    subject: { vulnerabilityId: string; packageName: string },
    cve: string | undefined,
    getFinding: () => FleetFinding,
  ): number => {
    if (named.length === 0) return 0;
    const mayCover = named.filter(
      (c) =>
        (c.assetId === undefined || c.assetId === assetId) &&
        (c.packageName === undefined || c.packageName === subject.packageName) &&
        (c.vulnerabilityId === undefined ||
          c.vulnerabilityId === subject.vulnerabilityId ||
          c.vulnerabilityId === cve),
    );
    if (mayCover.length === 0) return 0;
    const finding = asFinding(getFinding());
    const options = { vulnerabilityIds: cve ? [cve] : [] };
    const out = new Set<string>();
    for (const c of mayCover)
      if (isExceptionCovering(c, finding, options)) out.add(c.compensatingControl as string);
    return out.size;
  };
}

/** The fields of a finding the exceptions' scope rule reads. */
function asFinding(f: FleetFinding): Finding {
  return {
    id: f.id,
    assetId: f.assetId,
    vulnerabilityId: f.vulnerabilityId,
    packageName: f.packageName,
  } as Finding;
}

/** A scored finding of the fast path, for the top list. */
export interface FleetScored {
  finding: FleetFinding;
  risk: number;
  cve: string | undefined;
}

/**
 * `compareScored` then finding id (src/services/risk/score-findings.ts): highest risk first, ties by asset,
 * vulnerability, package, then id — the total order of the `top` list.
 */
export function compareFleetScored(a: FleetScored, b: FleetScored): number {
  const fa = a.finding;
  const fb = b.finding;
  return (
    b.risk - a.risk ||
    fa.assetId.localeCompare(fb.assetId) ||
    fa.vulnerabilityId.localeCompare(fb.vulnerabilityId) ||
    fa.packageName.localeCompare(fb.packageName) ||
    compareText(fa.id, fb.id)
  );
}

/**
 * The `top` highest-risk findings that are open and that no exception in force at `now` covers (the
 * exceptions step would except them): what `patchcast run` lists. At most `top` are held.
 */
export function makeFleetTop(top: number, exceptions: readonly RiskException[], now: Date) {
  const kept: FleetScored[] = [];
  const staysOpen = (s: FleetScored) =>
    s.finding.open &&
    !findCoveringException(asFinding(s.finding), exceptions, now, {
      vulnerabilityIds: s.cve ? [s.cve] : [],
    });
  return {
    /** Whether a finding of this risk could enter the list (a cheap test before building it). */
    mayEnter(risk: number): boolean {
      const last = kept.at(-1);
      return kept.length < top || (last !== undefined && risk >= last.risk);
    },
    add(s: FleetScored): void {
      const last = kept.at(-1);
      if (kept.length >= top && (!last || compareFleetScored(s, last) >= 0)) return;
      if (!staysOpen(s)) return;
      let lo = 0;
      let hi = kept.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareFleetScored(kept[mid] as FleetScored, s) <= 0) lo = mid + 1;
        else hi = mid;
      }
      kept.splice(lo, 0, s);
      if (kept.length > top) kept.pop();
    },
    get: (): FleetScored[] => kept,
  };
}
