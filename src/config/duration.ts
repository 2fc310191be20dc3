const UNIT_MINUTES: Record<string, number> = { s: 1 / 60, m: 1, h: 60, d: 1440, w: 10080 };

/** Minutes in a duration such as `30m`, `4h`, `2d` or `1h30m` (already checked by the schema). */
export function getDurationMinutes(text: string): number {
  let total = 0;
  for (const match of text.matchAll(/(\d+)([smhdw])/g)) {
    total += Number(match[1]) * (UNIT_MINUTES[match[2] ?? 'm'] ?? 1);
  }
  return total;
}
