/** Output helpers: data goes to stdout, progress and diagnostics to stderr. */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** `warning: …` lines, at most `limit` of them, then how many more `--json` lists. */
export function printWarnings(warnings: readonly string[], limit = 20): void {
  for (const w of warnings.slice(0, limit)) printLine(`warning: ${w}`);
  if (warnings.length > limit) printLine(`… ${warnings.length - limit} more warnings (--json lists all)`);
}

/** A plain aligned table; columns are the keys of the first row unless given. */
export function printTable(rows: ReadonlyArray<Record<string, unknown>>, columns?: string[]): void {
  const keys = columns ?? Object.keys(rows[0] ?? {});
  if (keys.length === 0) return;
  const cells = rows.map((row) => keys.map((k) => formatCell(row[k])));
  const widths = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  printLine(line(keys.map((k) => k.toUpperCase())));
  for (const row of cells) printLine(line(row));
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}
