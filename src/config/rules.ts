import { CronExpressionParser } from 'cron-parser';
import * as rruleModule from 'rrule';
import type { Config } from './load.js';

/**
 * Step 3: rules across fields, each problem as `path: message`. Returns an empty list when the
 * config is consistent.
 */
export function checkConfigRules(config: Config): string[] {
  return [
    ...checkUniqueIds('policies.sla', config.policies.sla),
    ...checkUniqueIds('windows', config.windows),
    ...checkUniqueIds('freezes', config.freezes),
    ...checkUniqueIds('rings', config.rings),
    ...config.windows.flatMap((w, i) => checkWindow(w, `windows[${i}]`)),
    ...config.freezes.flatMap((f, i) => checkFreeze(f, `freezes[${i}]`)),
    ...checkRings(config),
    ...checkAvailability(config),
  ];
}

function checkUniqueIds(path: string, items: ReadonlyArray<{ id: string }>): string[] {
  const seen = new Map<string, number>();
  const problems: string[] = [];
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined)
      problems.push(`${path}[${i}].id: "${item.id}" is already used by ${path}[${first}]`);
    else seen.set(item.id, i);
  });
  return problems;
}

function checkWindow(w: Config['windows'][number], path: string): string[] {
  const problems: string[] = [];
  if ((w.cron === undefined) === (w.rrule === undefined)) {
    problems.push(`${path}: give exactly one of cron or rrule`);
  }
  if (!isTimeZone(w.timezone))
    problems.push(
      `${path}.timezone: unknown time zone "${w.timezone}" (use an IANA name such as Europe/Berlin)`,
    );
  if (w.cron !== undefined) {
    try {
      CronExpressionParser.parse(w.cron, { tz: isTimeZone(w.timezone) ? w.timezone : 'UTC' });
    } catch (error) {
      problems.push(`${path}.cron: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (w.rrule !== undefined) {
    try {
      getRrulestr()(w.rrule);
    } catch (error) {
      problems.push(`${path}.rrule: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (w.durationMinutes <= 0) problems.push(`${path}.duration: must be longer than zero`);
  if (w.cutoffMinutes >= w.durationMinutes)
    problems.push(`${path}.cutoff: must be shorter than the window's duration (${w.duration})`);
  return problems;
}

function checkFreeze(f: Config['freezes'][number], path: string): string[] {
  if (!('start' in f)) return [];
  const start = Date.parse(f.start);
  const end = Date.parse(f.end);
  if (Number.isNaN(start)) return [`${path}.start: not a real date`];
  if (Number.isNaN(end)) return [`${path}.end: not a real date`];
  // A bare end date covers that whole day (see planning/windows.ts), so start = end is one day.
  const effectiveEnd = f.end.length === 10 ? end + 86_400_000 : end;
  return effectiveEnd > start ? [] : [`${path}.end: must be after start (${f.start})`];
}

function checkRings(config: Config): string[] {
  const problems: string[] = [];
  const catchAll = config.rings.filter((r) => r.select === undefined);
  if (catchAll.length > 1)
    problems.push(`rings: only one ring may have no select (found ${catchAll.map((r) => r.id).join(', ')})`);
  return problems;
}

function checkAvailability(config: Config): string[] {
  const { availability } = config.planning;
  const entries: Array<[string, { maxDown?: number; maxDownPercent?: number }]> = [
    ['planning.availability.default', availability.default],
    ...Object.entries(availability.services).map(([service, a]): [string, typeof a] => [
      `planning.availability.services.${service}`,
      a,
    ]),
  ];
  return entries
    .filter(([, a]) => (a.maxDown === undefined) === (a.maxDownPercent === undefined))
    .map(([path]) => `${path}: give exactly one of maxDown (a count) or maxDownPercent`);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** rrule ships CommonJS; depending on the loader its exports sit on the namespace or on `default`. */
function getRrulestr(): typeof rruleModule.rrulestr {
  const mod = rruleModule as typeof rruleModule & { default?: typeof rruleModule };
  return mod.rrulestr ?? mod.default?.rrulestr;
}
