import type { Command } from 'commander';
import { formatAsOf } from '../../risk/as-of.js';
import { formatContribution, formatExploit } from '../../risk/score/index.js';
import { explainFinding, type FindingExplanation } from '../../services/findings/explain-finding.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine } from '../output.js';

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
  const { asOf, findings } = await withServices(command, (deps) =>
    explainFinding(deps, { target: arg, ...(options.asset ? { assetId: options.asset } : {}) }),
  );
  if (getGlobalOptions(command).json) return printJson({ asOf: asOf.day, findings });
  printLine(`Risk ${formatAsOf(asOf)}:`);
  for (const e of findings) for (const line of formatExplanation(e, Number(options.top))) printLine(line);
  printLine('The contributions add up to the risk; see src/risk/readme.md for the formula.');
}
