import type { Command } from 'commander';
import { PatchcastError } from '../../core/errors.js';
import { type PatchWithFindings, toPatchJson } from '../../matching/patches.js';
import { loadPatch } from '../../pipeline/patch-selection.js';
import { listFindings } from '../../store/index.js';
import { getGlobalOptions, withStore } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

/**
 * `patchcast explain <patch-id>`: the patch (asset, upgrade, risk removed, due date) and each open
 * finding it closes, riskiest first.
 */
export async function runExplainPatch(command: Command, id: string): Promise<void> {
  await withStore(command, async (store) => {
    const patch = await loadPatch(store.db, id);
    if (!patch)
      throw new PatchcastError('INPUT_NOT_FOUND', `no open patch ${id}`, {
        hint: 'Patch ids (<asset>/<ecosystem>/<package>) are listed by `patchcast patches`; a patch whose findings are all closed is gone.',
        details: { patchId: id },
      });
    const findings = await listFindings(store.db, { ids: patch.findingIds });
    if (getGlobalOptions(command).json) return printJson({ patch: toPatchJson(patch), findings });
    for (const line of describePatch(patch)) printLine(line);
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
  });
}

/** The patch's headline: what it upgrades, what it closes, the risk it removes and when it is due. */
export function describePatch(patch: PatchWithFindings): string[] {
  return [
    `patch ${patch.id}: upgrade ${patch.package} ${patch.installedVersion} → ${patch.targetVersion ?? 'no fixed version yet'} (${patch.ecosystem}) on ${patch.asset}`,
    `  closes ${patch.findings} open finding(s): ${patch.vulnerabilities.length} vulnerabilit${patch.vulnerabilities.length === 1 ? 'y' : 'ies'} in ${patch.binaries.join(', ')}`,
    `  risk removed ${patch.riskRemoved.toFixed(3)} · due ${patch.due?.slice(0, 10) ?? 'no SLA date'}`,
  ];
}
