/**
 * Failure probabilities of the patches a plan applies, from the patch-reliability model
 * (`src/predict/reliability`, `patchcast reliability`): it knows Debian source packages, from Debian's
 * advisory history (DSA/DLA) in the store, so only Debian patches whose target names its release
 * (`+debNuM`) get a score; the planner gives the rest its default rate and says so.
 */
import { getEcosystemBase } from '../../core/package-name.js';
import { getPatchId, getPatchPackage } from '../../matching/patches.js';
import type { PlanFinding } from '../../planning/types.js';
import {
  type Advisory,
  guessFamily,
  guessRelease,
  loadReliabilityModel,
  type PatchCandidate,
  SHIPPED_RELIABILITY_MODEL_PATH,
  scorePatches,
} from '../../predict/reliability/index.js';
import type { Db } from '../../store/index.js';
import { getHighestVersion } from '../../versioning/index.js';
import { hasStoredAdvisories, loadAdvisoriesFromStore } from '../reliability/reliability-advisories.js';

const DAY = 86_400_000;

/**
 * The failure probabilities of the findings' Debian patches from the store's advisory history;
 * empty when no patch names a Debian release or the store holds no advisories (`patchcast sync`
 * brings them in), so the planner uses its default rate and says so.
 */
export async function loadStoredPatchFailureProbabilities(
  db: Db,
  findings: readonly PlanFinding[],
  now: Date,
): Promise<Record<string, number>> {
  if (getDebianTargets(findings).size === 0 || !(await hasStoredAdvisories(db))) return {};
  return loadPatchFailureProbabilities(findings, await loadAdvisoriesFromStore(db), now);
}

/**
 * Per patch id, the model's probability that its update needs a regression fix, as of `now` (or the
 * day after the history ends, if earlier). Patches the model cannot score are left out.
 */
export function loadPatchFailureProbabilities(
  findings: readonly PlanFinding[],
  advisories: readonly Advisory[],
  now: Date,
): Record<string, number> {
  const targets = getDebianTargets(findings);
  if (targets.size === 0) return {};
  const artifact = loadReliabilityModel(SHIPPED_RELIABILITY_MODEL_PATH);
  const last = advisories[advisories.length - 1]?.day ?? Math.floor(now.getTime() / DAY);
  const day = Math.min(Math.floor(now.getTime() / DAY), last + 1);
  const keys = [...new Set([...targets.values()].map((t) => `${t.source}\0${t.version}\0${t.release}`))];
  const candidates = keys.map((key): PatchCandidate => {
    const [source = '', version = '', release = ''] = key.split('\0');
    return makePlannedCandidate(source, version, release, advisories, day);
  });
  const probabilities = scorePatches(artifact, advisories, candidates, day);
  const scores = new Map(keys.map((key, i) => [key, probabilities[i]]));
  const out: Record<string, number> = {};
  for (const [id, t] of targets) {
    const p = scores.get(`${t.source}\0${t.version}\0${t.release}`);
    if (p !== undefined) out[id] = p;
  }
  return out;
}

/** Per Debian patch id: its source package, highest target version and the release that names. */
function getDebianTargets(
  findings: readonly PlanFinding[],
): Map<string, { source: string; version: string; release: string }> {
  const versions = new Map<string, { source: string; ecosystem: string; list: string[] }>();
  for (const f of findings) {
    if (!f.ecosystem || getEcosystemBase(f.ecosystem) !== 'Debian' || !f.targetVersion) continue;
    const source = getPatchPackage({
      ...f,
      vulnerabilityId: '',
      ecosystem: f.ecosystem,
      installedVersion: '',
    });
    const id = getPatchId(f.assetId, f.ecosystem, source);
    const entry = versions.get(id) ?? { source, ecosystem: f.ecosystem, list: [] };
    entry.list.push(f.targetVersion);
    versions.set(id, entry);
  }
  const out = new Map<string, { source: string; version: string; release: string }>();
  for (const [id, e] of versions) {
    const version = getHighestVersion(e.ecosystem, e.list);
    const release = version ? guessRelease(version) : undefined;
    if (version && release) out.set(id, { source: e.source, version, release });
  }
  return out;
}

/**
 * A patch as the planner scores it before anything is known of its release notes: one source package
 * at one version in one release, its family guessed from the advisory history, a plain security update.
 */
export function makePlannedCandidate(
  source: string,
  version: string,
  release: string,
  advisories: readonly Advisory[],
  day: number,
): PatchCandidate {
  const family = guessFamily(advisories, release, day);
  return {
    package: source,
    fixed: [{ release, package: source, version }],
    ...(family ? { family } : {}),
    revision: 1,
    title: 'security update',
    isRegressionUpdate: false,
  };
}
