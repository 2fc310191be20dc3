import type { Command } from 'commander';
import type { Config } from '../../config/index.js';
import { PatchcastError } from '../../core/errors.js';
import type { Finding } from '../../core/types.js';
import { makeForecastLoader } from '../../pipeline/exploit-forecast.js';
import { formatAsOf, loadAsOf } from '../../risk/as-of.js';
import { formatContribution, formatExploit } from '../../risk/score/index.js';
import { type ScoredFinding, scoreFindings } from '../../risk/score-findings.js';
import { listFindings, loadCveOfVulnerabilities, type Store } from '../../store/index.js';
import { getGlobalOptions, loadCommandConfig, withStore } from '../context.js';
import { printJson, printLine } from '../output.js';

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
  return new Map(scored.map((s) => [s.context.finding.id, toExplanation(s)]));
}

function toExplanation({
  context: { finding: f, vulnerability: v },
  score,
}: ScoredFinding): FindingExplanation {
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
  };
}

/** Lines a person reads: risk, SSVC with its decision points, due date, then contributions. */
export function formatExplanation(e: FindingExplanation, top = Number.POSITIVE_INFINITY): string[] {
  const s = e.ssvc;
  const head = `${e.assetId}  ${e.packageName}  ${e.cve ?? e.vulnerabilityId}  risk ${e.risk.toFixed(3)}  SSVC ${s.decision} (exploitation ${s.exploitation}, automatable ${s.automatable}, technical impact ${s.technicalImpact}, mission & well-being ${s.missionWellbeing})${e.dueDate ? `  due ${e.dueDate}` : ''}${e.status === 'open' ? '' : `  [${e.status}]`}`;
  return [
    head,
    `    exploit probability ${formatExploit(e.exploit)}`,
    ...e.contributions.slice(0, top).map((c) => `    ${formatContribution(c)}`),
  ];
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

/** Whether `patchcast explain ARG` is about a finding (an id, or `--asset` given) rather than a CVE forecast. */
export function isFindingTarget(arg: string, assetId: string | undefined): boolean {
  return assetId !== undefined || /^[0-9a-f]{20}$/.test(arg);
}

/** `patchcast explain <finding-id>` / `patchcast explain <CVE> --asset ID`: the finding's risk in words. */
export async function runExplainFinding(
  command: Command,
  arg: string,
  options: { asset?: string; top: string },
): Promise<void> {
  const config = loadCommandConfig(command);
  await withStore(command, async (store) => {
    const targets = await findTargets(store, arg, options.asset);
    if (targets.length === 0)
      throw new PatchcastError(
        'INPUT_NOT_FOUND',
        options.asset
          ? `no open, suppressed or excepted finding of ${arg} on asset ${options.asset}`
          : `no finding with id ${arg}`,
        { hint: 'List them with `patchcast findings --asset ID` (ids are in --json output).' },
      );
    const asOf = await loadAsOf(store.db);
    const explained = await loadFindingExplanations(
      store,
      config,
      targets.map((t) => t.id),
      asOf.instant,
    );
    const list = [...explained.values()].sort(
      (a, b) => b.risk - a.risk || a.packageName.localeCompare(b.packageName),
    );
    if (getGlobalOptions(command).json) return printJson({ asOf: asOf.day, findings: list });
    printLine(`Risk ${formatAsOf(asOf)}:`);
    for (const e of list) for (const line of formatExplanation(e, Number(options.top))) printLine(line);
    printLine('The contributions add up to the risk; see src/risk/readme.md for the formula.');
  });
}
