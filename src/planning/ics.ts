import { getZonedInstant } from './zoned-time.js';

/** A VEVENT's interval and summary. */
export interface IcsEvent {
  uid?: string;
  summary?: string;
  description?: string;
  start: Date;
  end: Date;
}

/** RFC 5545 §3.1: a line starting with a space or tab continues the previous one. */
function unfoldLines(text: string): string[] {
  return text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
}

/** Parses DATE or DATE-TIME values (RFC 5545 §3.3.4–3.3.5): UTC `Z`, TZID-local, or floating (UTC). */
function parseIcsDate(value: string, params: string): { date: Date; allDay: boolean } {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$/.exec(value.trim());
  if (!match) throw new Error(`unreadable ICS date ${value}`);
  const [, y, mo, d, h, mi, , z] = match;
  const fields = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
  };
  const allDay = h === undefined;
  const tzid = /TZID=([^;:]+)/i.exec(params)?.[1];
  if (z || !tzid || allDay) {
    return {
      date: new Date(Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute)),
      allDay,
    };
  }
  return { date: getZonedInstant(fields, tzid), allDay };
}

/**
 * Reads the VEVENTs of an iCalendar file (RFC 5545): DTSTART, DTEND (or DURATION-less all-day
 * events lasting one day), SUMMARY, UID. Recurrence rules are not expanded.
 */
export function parseIcsEvents(text: string): IcsEvent[] {
  const events: IcsEvent[] = [];
  let current: Record<string, { value: string; params: string }> | null = null;
  for (const line of unfoldLines(text)) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT' && current) {
      const event = toEvent(current);
      if (event) events.push(event);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const [name = '', ...params] = line.slice(0, colon).split(';');
      current[name.toUpperCase()] = { value: line.slice(colon + 1), params: params.join(';') };
    }
  }
  return events;
}

function toEvent(props: Record<string, { value: string; params: string }>): IcsEvent | null {
  if (!props.DTSTART) return null;
  const start = parseIcsDate(props.DTSTART.value, props.DTSTART.params);
  const end = props.DTEND
    ? parseIcsDate(props.DTEND.value, props.DTEND.params).date
    : new Date(start.date.getTime() + (start.allDay ? 86_400_000 : 0));
  return {
    start: start.date,
    end,
    ...(props.SUMMARY ? { summary: unescapeText(props.SUMMARY.value) } : {}),
    ...(props.DESCRIPTION ? { description: unescapeText(props.DESCRIPTION.value) } : {}),
    ...(props.UID ? { uid: props.UID.value } : {}),
  };
}

/** RFC 5545 §3.3.11 TEXT: `\n` or `\N` is a newline; `\,` `\;` `\\` are the characters themselves. */
function unescapeText(value: string): string {
  return value.replace(/\\([nN,;\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
