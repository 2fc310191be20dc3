import type { Command } from 'commander';
import { type PatchWithFindings, toPatchJson } from '../../matching/patches.js';
import { explainPatch } from '../../services/patches/explain-patch.js';
import { describePreflightFacts } from '../../services/rollout/release-notes-prediction.js';
import { getGlobalOptions, withServices } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

/**
 * `patchcast explain <patch-id>`: the patch (asset, upgrade, risk removed, due date), what rollouts
 * learned about it (fleet posterior, the latest preflight's release notes and prediction update) and
 * each open finding it closes, riskiest first.
 */
export async function runExplainPatch(command: Command, id: string): Promise<void> {
  const { patch, findings, fleet, preflight } = await withServices(command, (deps) =>
    explainPatch(deps, { patchId: id }),
  );
  if (getGlobalOptions(command).json)
    return printJson({ patch: toPatchJson(patch), findings, fleet, ...(preflight ? { preflight } : {}) });
  for (const line of describePatch(patch)) printLine(line);
  const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
  for (const f of fleet) {
    const seen = Object.entries(f.outcomes)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ');
    printLine(
      `  rollouts of ${f.key}: ${seen || 'none yet'}; P(fail) ${pct(f.mean)} (90% ${pct(f.lower)}–${pct(f.upper)}), from the predicted ${pct(f.prior)}`,
    );
  }
  if (preflight) {
    printLine(`  preflight of ${preflight.jobId} at ${preflight.at}:`);
    for (const line of describePreflightFacts(preflight)) printLine(`    ${line}`);
  }
  printLine('');
  printTable(
    findings.map((f) => ({
      risk: f.risk === undefined ? '-' : f.risk.toFixed(3),
      vulnerability: f.vulnerabilityId,
      package: `${f.packageName} ${f.installedVersion}`,
      fix: f.targetVersion ?? 'none',
      due: f.dueDate?.slice(0, 10) ?? '-',
      finding: f.id,
    })),
  );
}

/** The patch's headline: what it upgrades, what it closes, the risk it removes and when it is due. */
export function describePatch(patch: PatchWithFindings): string[] {
  return [
    `patch ${patch.id}: upgrade ${patch.package} ${patch.installedVersion} → ${patch.targetVersion ?? 'no fixed version yet'} (${patch.ecosystem}) on ${patch.asset}`,
    `  closes ${patch.findings} open finding(s): ${patch.vulnerabilities.length} vulnerabilit${patch.vulnerabilities.length === 1 ? 'y' : 'ies'} in ${patch.binaries.join(', ')}`,
    `  risk removed ${patch.riskRemoved.toFixed(3)} · due ${patch.due?.slice(0, 10) ?? 'no SLA date'}`,
  ];
}
