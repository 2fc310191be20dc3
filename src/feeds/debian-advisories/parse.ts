/**
 * The line format of `debian_security_advisories.jsonl.gz`: one Debian advisory (DSA/DLA) a line,
 * built from the security tracker's `data/DSA/list` and `data/DLA/list` with the regression-update
 * links worked out (see the feed's readme). Only the fields the reliability model uses are read;
 * the tracker's free-text `notes` and `regression_evidence` never are.
 */
import { z } from 'zod';
import type { DebianAdvisory } from '../../core/types.js';
import type { PositionedDebianAdvisory } from '../../store/index.js';
import { FeedError } from '../errors.js';
import { readLines } from '../resource.js';

export const DEBIAN_ADVISORIES_SOURCE = 'debian-advisories';

/** The file's name in a mirror directory (the ../shared/data layout). */
export const DEBIAN_ADVISORIES_FILE = 'debian_security_advisories.jsonl.gz';

const DAY_MS = 86_400_000;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

const fixedSchema = z.object({
  release: z.string().min(1).max(64),
  package: z.string().min(1).max(200),
  version: z.string().min(1).max(200),
});

const lineSchema = z.object({
  advisory: z.string().regex(/^D[SL]A-\d+-\d+$/, 'expected an advisory id such as DSA-5257-1'),
  family: z.enum(['DSA', 'DLA']),
  number: z.number().int().nonnegative(),
  revision: z.number().int().positive(),
  date: day,
  package: z.string().min(1).max(200),
  title: z.string().max(500),
  cves: z.array(z.string().max(40)).max(5000),
  fixed: z.array(fixedSchema).max(2000),
  is_regression_update: z.boolean(),
  followed_by_regression_update: z.boolean(),
  days_to_regression_update: z.number().int().nonnegative().nullish(),
});

/** One line of the file as an advisory; a bad line is a FeedError naming the file, the line and the field. */
export function parseDebianAdvisoryLine(line: string, file: string, lineNumber: number): DebianAdvisory {
  const where = `line ${lineNumber}`;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    throw new FeedError(
      DEBIAN_ADVISORIES_SOURCE,
      file,
      where,
      `not valid JSON (${(error as Error).message}); the file may be truncated`,
    );
  }
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const id = (json as { advisory?: unknown } | null)?.advisory;
    throw new FeedError(
      DEBIAN_ADVISORIES_SOURCE,
      file,
      `${where}${typeof id === 'string' ? ` ${id}` : ''}`,
      `${issue?.path.join('.') || 'line'}: ${issue?.message}`,
    );
  }
  const r = parsed.data;
  if (!isCalendarDay(r.date))
    throw new FeedError(DEBIAN_ADVISORIES_SOURCE, file, where, `date: ${r.date} is not a calendar day`);
  const advisory: DebianAdvisory = {
    id: r.advisory,
    family: r.family,
    number: r.number,
    revision: r.revision,
    published: r.date,
    package: r.package,
    title: r.title,
    cves: [...new Set(r.cves)],
    fixed: r.fixed,
    isRegressionUpdate: r.is_regression_update,
    followedByRegression: r.followed_by_regression_update,
  };
  const delay = r.days_to_regression_update;
  if (r.followed_by_regression_update && typeof delay === 'number')
    advisory.regressionPublished = addDays(r.date, delay);
  return advisory;
}

/**
 * The advisories of a (possibly gzipped) file, each with its line number as its position, in the
 * file's order. A truncated or corrupt file fails naming the last line read.
 */
export async function* readDebianAdvisories(
  file: string,
  onBytes?: (n: number) => void,
): AsyncGenerator<PositionedDebianAdvisory> {
  for await (const [line, n] of readLines(DEBIAN_ADVISORIES_SOURCE, file, onBytes)) {
    if (line.trim() === '') continue;
    yield { advisory: parseDebianAdvisoryLine(line, file, n), position: n };
  }
}

function isCalendarDay(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
