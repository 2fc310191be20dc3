/**
 * Debian security advisories (DSA/DLA) as the reliability model reads them: day numbers, and the
 * label facts kept apart from what was known on the advisory's date. The records come from the
 * `debian-advisories` feed's parser, out of the store or a data directory (src/services/reliability/reliability-advisories.ts).
 */
import type { DebianAdvisory } from '../../core/types.js';
import { toDay } from '../history/index.js';

/** The advisory file's name inside a data directory (../shared/data layout), named in the model card. */
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

/** One record as the model reads it. */
export function toAdvisory(record: DebianAdvisory): Advisory {
  return {
    id: record.id,
    family: record.family,
    number: record.number,
    revision: record.revision,
    day: toDay(record.published),
    package: record.package,
    title: record.title,
    cves: record.cves,
    fixed: record.fixed,
    isRegressionUpdate: record.isRegressionUpdate,
    followedByRegression: record.followedByRegression,
    regressionDay:
      record.followedByRegression && record.regressionPublished
        ? toDay(record.regressionPublished)
        : Number.NaN,
  };
}

/**
 * The model's history: records given in file order, sorted by day; a stable sort keeps the file's
 * order within a day, so the store and a data directory give the same list.
 */
export function toAdvisories(records: Iterable<DebianAdvisory>): Advisory[] {
  return [...records].map(toAdvisory).sort((a, b) => a.day - b.day);
}
