import type { Config } from '../../config/index.js';
import { PatchcastError } from '../../core/errors.js';
import type { Finding } from '../../core/types.js';
import type { AsOf } from '../../risk/as-of.js';
import { computeSla, getSlaRules } from '../../risk/sla/index.js';
import type { SlaResult } from '../../risk/types.js';
import { listExceptions, listFindings, loadCveOfVulnerabilities, type Store } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { makeForecastLoader } from '../model/exploit-forecast.js';
import { loadFindingContexts } from '../risk/finding-contexts.js';
import { loadAsOf } from '../risk/load-as-of.js';
import { type ScoredFinding, scoreFindings } from '../risk/score-findings.js';

/** A finding's risk as data: the score, SSVC, due date and every contribution. */
export interface FindingExplanation {
  findingId: string;
  assetId: string;
  packageName: string;
  vulnerabilityId: string;
  cve: string | null;
  status: Finding['status'];
  risk: number;
  ssvc: ScoredFinding['score']['ssvc'];
  dueDate: string | null;
  /** The exploit probability the risk used, its source, and EPSS beside it. */
  exploit: ScoredFinding['score']['exploit'];
  contributions: ScoredFinding['score']['contributions'];
  /** The SLA under the configured policy now, as `patchcast sla` computes it: rule, reason, state, due date. */
  sla: SlaResult;
}

/**
 * Scores the given findings now, without writing, with the same inputs `patchcast run` uses (config
 * weights; the store's exploit forecast, read from the stored scores when current).
 */
export async function loadFindingExplanations(
  store: Store,
  config: Config,
  findingIds: readonly string[],
  asOf = new Date(),
): Promise<Map<string, FindingExplanation>> {
  if (findingIds.length === 0) return new Map();
  const scored = await scoreFindings(store, {
    asOf,
    weights: config.risk.weights,
    findingIds,
    model: makeForecastLoader(store, {
      now: asOf,
      tolerance: {
        absolute: config.model.scores.absoluteTolerance,
        relative: config.model.scores.relativeTolerance,
      },
    }),
    write: false,
  });
  const slas = await loadSlas(store, config, findingIds, asOf);
  return new Map(scored.map((s) => [s.context.finding.id, toExplanation(s, slas.get(s.context.finding.id))]));
}

/** Each finding's SLA as `applyPolicies` computes it (the SLA contexts carry the publication date). */
async function loadSlas(
  store: Store,
  config: Config,
  findingIds: readonly string[],
  asOf: Date,
): Promise<Map<string, SlaResult>> {
  const contexts = await loadFindingContexts(store.db, { asOf, published: true, findingIds });
  const rules = getSlaRules(config.policies.sla);
  const exceptions = await listExceptions(store.db);
  const policy = config.policies.exceptions;
  return new Map(contexts.map((c) => [c.finding.id, computeSla(c, rules, exceptions, policy, asOf)]));
}

function toExplanation(
  { context: { finding: f, vulnerability: v }, score }: ScoredFinding,
  sla: SlaResult | undefined,
): FindingExplanation {
  return {
    findingId: f.id,
    assetId: f.assetId,
    packageName: f.packageName,
    vulnerabilityId: f.vulnerabilityId,
    cve: v.cve ?? null,
    status: f.status,
    risk: score.risk,
    ssvc: score.ssvc,
    dueDate: f.dueDate ?? null,
    exploit: score.exploit,
    contributions: score.contributions,
    sla: sla ?? {
      dueDate: f.dueDate ?? null,
      state: 'closed',
      rule: 'none',
      reason: 'not judged: the finding is fixed',
    },
  };
}

/**
 * The findings `patchcast explain` means: the finding with that id, or the findings of that
 * vulnerability (by id, CVE alias or the CVE inside a distribution id) on the given asset.
 */
async function findTargets(store: Store, arg: string, assetId: string | undefined): Promise<Finding[]> {
  const status: Finding['status'][] = ['open', 'suppressed', 'excepted'];
  const byId = await listFindings(store.db, { ids: [arg], status });
  if (byId.length > 0) return byId;
  if (!assetId) return [];
  const onAsset = await listFindings(store.db, { assetId, status });
  const cveOf = await loadCveOfVulnerabilities(store.db, [...new Set(onAsset.map((f) => f.vulnerabilityId))]);
  const wanted = arg.toUpperCase();
  return onAsset.filter(
    (f) => f.vulnerabilityId.toUpperCase() === wanted || cveOf.get(f.vulnerabilityId) === wanted,
  );
}

export interface ExplainFindingInput {
  /** A finding id, or a vulnerability id / CVE when `assetId` is given. */
  target: string;
  assetId?: string;
}

/**
 * A finding's risk explained (`patchcast explain <finding-id>`, `explain CVE-… --asset ID`): the
 * findings the target names, scored now without writing, highest risk first. None is INPUT_NOT_FOUND.
 */
export async function explainFinding(
  deps: ServiceDeps,
  input: ExplainFindingInput,
): Promise<{ asOf: AsOf; findings: FindingExplanation[] }> {
  authorize(deps.actor, 'read');
  const { store } = deps;
  const targets = await findTargets(store, input.target, input.assetId);
  if (targets.length === 0)
    throw new PatchcastError(
      'INPUT_NOT_FOUND',
      input.assetId
        ? `no open, suppressed or excepted finding of ${input.target} on asset ${input.assetId}`
        : `no finding with id ${input.target}`,
      {
        hint: 'List them with `patchcast findings --asset ID` (ids are in --json output).',
        details: { target: input.target, ...(input.assetId ? { assetId: input.assetId } : {}) },
      },
    );
  const asOf = await loadAsOf(store.db, deps.clock.now());
  const ids = targets.map((t) => t.id);
  const explained = await loadFindingExplanations(store, deps.config, ids, asOf.instant);
  const findings = [...explained.values()].sort(
    (a, b) => b.risk - a.risk || a.packageName.localeCompare(b.packageName),
  );
  return { asOf, findings };
}
