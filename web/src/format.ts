/** Display helpers: numbers and times in the user's locale and time zone. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** The user's time zone, shown beside times so no one has to guess. */
export const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An instant (ISO) in the user's time zone. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** A calendar day (`YYYY-MM-DD…`, a UTC day as the API's due dates are): the same day everywhere. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—';
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : dateOnly.format(d);
}

/** A risk or probability in [0, 1], to three decimals (as the CLI prints it). */
export function formatRisk(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(3);
}

/** A probability as a percentage: one decimal, or two significant digits below 1 % (0.043 %, not 0.0 %). */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const percent = value * 100;
  return `${percent !== 0 && Math.abs(percent) < 1 ? percent.toPrecision(2) : percent.toFixed(1)} %`;
}

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString();
}
