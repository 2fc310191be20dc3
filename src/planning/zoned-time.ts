/** Wall-clock fields in a time zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function getFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time of an instant in a time zone. */
export function getWallTime(at: Date, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const part of getFormatter(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS[parts.weekday ?? 'Sun'] ?? 0,
  };
}

/** The instant at which a wall-clock time occurs in a time zone (DST gaps resolve forward). */
export function getZonedInstant(
  fields: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): Date {
  const asUtc = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute);
  let guess = asUtc;
  // Two passes settle the offset, including across a DST change between guess and target.
  for (let i = 0; i < 2; i++) {
    const wall = getWallTime(new Date(guess), timeZone);
    const wallUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
    guess += asUtc - wallUtc;
  }
  return new Date(guess);
}

/** The second Tuesday of a month (Microsoft's Patch Tuesday), as a day of month. */
export function getPatchTuesday(year: number, month: number): number {
  const firstWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const firstTuesday = 1 + ((2 - firstWeekday + 7) % 7);
  return firstTuesday + 7;
}
