/**
 * Debian security advisories (DSA/DLA) as the reliability model reads them: the fields it uses,
 * checked with zod, and a loader for `debian_security_advisories.jsonl.gz` (../shared/data layout).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { PatchcastError } from '../../core/errors.js';
import { toDay } from '../history/index.js';

/** The advisory file's name inside a data directory. */
export const ADVISORIES_FILE = 'debian_security_advisories.jsonl.gz';

/** One fixed-package line of an advisory: the version that fixes it in one Debian release. */
export interface FixedEntry {
  release: string;
  package: string;
  /** A Debian version, or a marker such as `<not-affected>`, `<unfixed>`, `<end-of-life>`. */
  version: string;
}

/** One advisory, with its label facts kept apart from what was known on its date. */
export interface Advisory {
  /** `DSA-5257-1`. */
  id: string;
  family: 'DSA' | 'DLA';
  number: number;
  revision: number;
  /** Day number (days since 1970-01-01, UTC). */
  day: number;
  /** Source package the advisory is about. */
  package: string;
  title: string;
  cves: string[];
  fixed: FixedEntry[];
  /** The advisory itself announces a fix for a regression (known on its own date). */
  isRegressionUpdate: boolean;
  /**
   * Label: a later revision of this advisory fixed a regression it caused. Known only from
   * `regressionDay` on; features must never read it for the advisory being scored.
   */
  followedByRegression: boolean;
  /** Day the regression update was published (NaN when there was none). */
  regressionDay: number;
}

const fixedSchema = z.object({
  release: z.string().min(1).max(64),
  package: z.string().min(1).max(200),
  version: z.string().min(1).max(200),
});

const lineSchema = z.object({
  advisory: z.string().regex(/^D[SL]A-\d+-\d+$/),
  family: z.enum(['DSA', 'DLA']),
  number: z.number().int().nonnegative(),
  revision: z.number().int().positive(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  package: z.string().min(1).max(200),
  title: z.string().max(500),
  cves: z.array(z.string().max(40)).max(5000),
  fixed: z.array(fixedSchema).max(2000),
  is_regression_update: z.boolean(),
  followed_by_regression_update: z.boolean(),
  days_to_regression_update: z.number().int().nonnegative().nullish(),
});

/** Parses one JSON line of the advisory file; `where` names the file and line in errors. */
export function parseAdvisoryLine(line: string, where: string): Advisory {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new PatchcastError('INPUT_INVALID', `${where}: not valid JSON`);
  }
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PatchcastError('INPUT_INVALID', `${where}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const r = parsed.data;
  const day = toDay(r.date);
  const delay = r.days_to_regression_update;
  return {
    id: r.advisory,
    family: r.family,
    number: r.number,
    revision: r.revision,
    day,
    package: r.package,
    title: r.title,
    cves: [...new Set(r.cves)],
    fixed: r.fixed,
    isRegressionUpdate: r.is_regression_update,
    followedByRegression: r.followed_by_regression_update,
    regressionDay: r.followed_by_regression_update && typeof delay === 'number' ? day + delay : Number.NaN,
  };
}

/** Parses the whole (gunzipped) file, sorted by day then advisory order in the file. */
export function parseAdvisories(text: string, source: string): Advisory[] {
  const out: Advisory[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    out.push(parseAdvisoryLine(line, `${source} line ${i + 1}`));
  }
  // A stable sort keeps the file's order within a day.
  return out.sort((a, b) => a.day - b.day);
}

/** Loads `debian_security_advisories.jsonl.gz` from a data directory. */
export function loadAdvisories(dataDir: string): Advisory[] {
  const file = join(dataDir, ADVISORIES_FILE);
  if (!existsSync(file)) {
    throw new PatchcastError('INPUT_NOT_FOUND', `${file} does not exist`, {
      hint: `Pass --data DIR, a directory holding ${ADVISORIES_FILE} (the ../shared/data layout).`,
    });
  }
  return parseAdvisories(gunzipSync(readFileSync(file)).toString('utf8'), file);
}
