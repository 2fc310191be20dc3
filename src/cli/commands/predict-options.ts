import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PatchcastError } from '../../core/errors.js';
import { type FeatureGroup, SNAPSHOT_GROUPS, toDay } from '../../predict/index.js';

/**
 * The data directory for the prediction commands: --data, else ../shared/data (next to the
 * working directory or to the repository) when present. A store-backed loader comes later.
 */
export function resolveDataDir(option: string | undefined): string {
  if (option) return option;
  const candidates = [
    resolve(process.cwd(), '../shared/data'),
    fileURLToPath(new URL('../../../../shared/data', import.meta.url)),
  ];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) {
    throw new PatchcastError('INPUT_NOT_FOUND', 'no --data given and ../shared/data is absent', {
      hint: 'Pass --data DIR (a directory with cves.jsonl.gz, kev.json, exploits.jsonl.gz, epss_scores-*.csv.gz).',
    });
  }
  return found;
}

/** Parses a YYYY-MM-DD option into a day number. */
export function parseDayOption(name: string, value: string): number {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? toDay(value) : Number.NaN;
  if (Number.isNaN(day)) {
    throw new PatchcastError('USAGE_INVALID_ARGUMENT', `--${name} ${value}: expected a date YYYY-MM-DD`);
  }
  return day;
}

/** Parses a duration in days ("30d" or "30"). */
export function parseDaysOption(name: string, value: string): number {
  const match = /^(\d+)d?$/.exec(value);
  if (!match)
    throw new PatchcastError('USAGE_INVALID_ARGUMENT', `--${name} ${value}: expected days, e.g. 30d`);
  return Number(match[1]);
}

/** Today as a day number (UTC). */
export function today(): number {
  return Math.floor(Date.now() / 86_400_000);
}

/** Parses `--without snapshot|text,undated-cvss,references` into feature groups. */
export function parseWithoutOption(value: string | undefined): FeatureGroup[] {
  if (!value) return [];
  const groups = new Set<FeatureGroup>();
  for (const part of value.split(',').map((p) => p.trim())) {
    if (part === 'snapshot') for (const g of SNAPSHOT_GROUPS) groups.add(g);
    else if ((SNAPSHOT_GROUPS as readonly string[]).includes(part)) groups.add(part as FeatureGroup);
    else
      throw new PatchcastError(
        'USAGE_INVALID_ARGUMENT',
        `--without ${value}: unknown feature group "${part}"`,
        { hint: `Use snapshot (all of them) or a comma list of ${SNAPSHOT_GROUPS.join(', ')}.` },
      );
  }
  return [...groups];
}
