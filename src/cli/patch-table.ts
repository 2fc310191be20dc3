import type { Patch } from '../matching/patches.js';

/** Terminal width the patch tables keep to. */
export const PATCH_TABLE_WIDTH = 120;

const GAP = '  ';
/** Columns that may be cut (with `…`) to fit, in the order they give way; the id is never cut. */
const SHRINKABLE = ['upgrade', 'fixes'] as const;
const MIN_WIDTH = 12;

/**
 * A patch table in at most `width` columns: risk removed, due date, the patch id (what `patchcast
 * explain` takes; it names the asset), the upgrade and what it fixes. Long upgrade and fix cells are cut
 * with `…` first; the id is kept whole.
 */
export function formatPatchTable(patches: readonly Patch[], width = PATCH_TABLE_WIDTH): string[] {
  const keys = ['risk', 'due', 'id', 'upgrade', 'fixes'] as const;
  const rows = patches.map((p) => ({
    risk: p.riskRemoved.toFixed(3),
    due: p.due ? p.due.slice(0, 10) : '-',
    id: p.id,
    upgrade: `${p.package} ${p.installedVersion} → ${p.targetVersion ?? 'no fix yet'}`,
    fixes: describeFixes(p),
  }));
  const widths = new Map<string, number>(
    keys.map((k) => [k, Math.max(k.length, ...rows.map((r) => [...r[k]].length))]),
  );
  const total = () => [...widths.values()].reduce((a, b) => a + b, 0) + GAP.length * (keys.length - 1);
  for (const key of SHRINKABLE) {
    const over = total() - width;
    if (over <= 0) break;
    const current = widths.get(key) ?? 0;
    widths.set(key, Math.max(MIN_WIDTH, current - over));
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => fitCell(c, widths.get(keys[i] as string) ?? 0))
      .join(GAP)
      .trimEnd();
  return [line(keys.map((k) => k.toUpperCase())), ...rows.map((r) => line(keys.map((k) => r[k])))];
}

/** `22 vulns, 4 pkgs`: how many vulnerabilities the patch closes and installed packages it upgrades. */
export function describeFixes(patch: Patch): string {
  const v = patch.vulnerabilities.length;
  const b = patch.binaries.length;
  return `${v} vuln${v === 1 ? '' : 's'}, ${b} pkg${b === 1 ? '' : 's'}`;
}

function fitCell(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text.padEnd(width + text.length - chars.length);
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
