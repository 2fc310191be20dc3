/**
 * What was known about Debian security updates on a given day: per package, per package stem,
 * per release and per release/package line, counted only from advisories published before that
 * day and from regression updates published before that day. Events are applied in day order, so
 * a state "as of day T" never holds anything dated T or later.
 */
import type { Advisory } from './advisories.js';
import { getUpstream, isRealVersion } from './version-features.js';

/** Counts for one package (or package stem). */
export interface PackageStats {
  advisories: number;
  /** Earlier advisories whose regression update had been published. */
  regressions: number;
  /** Days of the earlier advisories, ascending. */
  days: number[];
  lastRegressionDay: number;
}

/** The previous fix of one binary/source package in one release. */
export interface PreviousFix {
  upstream: string | undefined;
  day: number;
}

/** Everything the features read; mutate only through `addPublication` and `addRegressionReveal`. */
export interface HistoryState {
  /** Events with a day before this one have been applied. */
  day: number;
  advisories: number;
  regressions: number;
  packages: Map<string, PackageStats>;
  stems: Map<string, PackageStats>;
  /** First day each release appeared in an advisory. */
  releaseFirstDay: Map<string, number>;
  /** Key `release/package`. */
  previousFix: Map<string, PreviousFix>;
  /** Per CVE: day of the first advisory fixing it, and whether a fix of it had a regression revealed. */
  cves: Map<string, CveFacts>;
}

/** What was known about one CVE's fixes. */
export interface CveFacts {
  firstDay: number;
  regressed: boolean;
}

/** An empty state. */
export function makeHistoryState(): HistoryState {
  return {
    day: Number.NEGATIVE_INFINITY,
    advisories: 0,
    regressions: 0,
    packages: new Map(),
    stems: new Map(),
    releaseFirstDay: new Map(),
    previousFix: new Map(),
    cves: new Map(),
  };
}

/**
 * Groups versioned source names into one family: `mariadb-10.3` → `mariadb`, `python2.7` →
 * `python`, `linux-4.19` → `linux`, `tomcat7` → `tomcat`.
 */
export function getPackageStem(name: string): string {
  const stem = name.toLowerCase().replace(/[-.]?\d+(?:\.\d+)*$/, '');
  return stem === '' ? name.toLowerCase() : stem;
}

function statsOf(map: Map<string, PackageStats>, key: string): PackageStats {
  let stats = map.get(key);
  if (!stats) {
    stats = { advisories: 0, regressions: 0, days: [], lastRegressionDay: Number.NaN };
    map.set(key, stats);
  }
  return stats;
}

/** Records an advisory's publication (what anyone could read on its day). Never reads its label. */
export function addPublication(state: HistoryState, advisory: Advisory): void {
  state.advisories += 1;
  for (const stats of [
    statsOf(state.packages, advisory.package),
    statsOf(state.stems, getPackageStem(advisory.package)),
  ]) {
    stats.advisories += 1;
    stats.days.push(advisory.day);
  }
  for (const cve of advisory.cves) {
    if (!state.cves.has(cve)) state.cves.set(cve, { firstDay: advisory.day, regressed: false });
  }
  for (const entry of advisory.fixed) {
    if (!state.releaseFirstDay.has(entry.release)) state.releaseFirstDay.set(entry.release, advisory.day);
    if (!isRealVersion(entry.version)) continue;
    state.previousFix.set(`${entry.release}/${entry.package}`, {
      upstream: getUpstream(entry.version),
      day: advisory.day,
    });
  }
}

/** Records that an earlier advisory turned out to break something (on its regression update's day). */
export function addRegressionReveal(state: HistoryState, advisory: Advisory, day: number): void {
  state.regressions += 1;
  for (const stats of [
    statsOf(state.packages, advisory.package),
    statsOf(state.stems, getPackageStem(advisory.package)),
  ]) {
    stats.regressions += 1;
    stats.lastRegressionDay = day;
  }
  // The same upstream fix is often backported to several releases: its regression is a warning for all.
  for (const cve of advisory.cves) {
    const facts = state.cves.get(cve);
    if (facts) facts.regressed = true;
  }
}

/** One dated change to the state. */
interface StateEvent {
  day: number;
  kind: 'publication' | 'reveal';
  advisory: Advisory;
}

/** Publications and regression reveals in day order (publications first within a day). */
function getEvents(advisories: readonly Advisory[]): StateEvent[] {
  const events: StateEvent[] = [];
  for (const advisory of advisories) {
    events.push({ day: advisory.day, kind: 'publication', advisory });
    // The regression update's day is when the breakage became public: an earlier advisory's fact.
    if (advisory.followedByRegression && Number.isFinite(advisory.regressionDay)) {
      events.push({ day: advisory.regressionDay, kind: 'reveal', advisory });
    }
  }
  return events.sort((a, b) => a.day - b.day || (a.kind === b.kind ? 0 : a.kind === 'publication' ? -1 : 1));
}

function apply(state: HistoryState, event: StateEvent): void {
  if (event.kind === 'publication') addPublication(state, event.advisory);
  else addRegressionReveal(state, event.advisory, event.day);
}

/**
 * Walks the advisories in day order and calls `visit(advisory, state)` for each one with the state
 * as it was before the advisory's day (events on the same day are not yet applied).
 */
export function sweepHistory(
  advisories: readonly Advisory[],
  visit: (advisory: Advisory, state: HistoryState) => void,
): HistoryState {
  const state = makeHistoryState();
  const events = getEvents(advisories);
  let next = 0;
  const order = [...advisories].sort((a, b) => a.day - b.day);
  for (const advisory of order) {
    while (next < events.length && events[next]!.day < advisory.day) apply(state, events[next++]!);
    state.day = advisory.day;
    visit(advisory, state);
  }
  return state;
}

/** The state as of `day`: every publication and regression update dated before it. */
export function getHistoryStateAsOf(advisories: readonly Advisory[], day: number): HistoryState {
  const state = makeHistoryState();
  for (const event of getEvents(advisories)) {
    if (event.day >= day) break;
    apply(state, event);
  }
  state.day = day;
  return state;
}
