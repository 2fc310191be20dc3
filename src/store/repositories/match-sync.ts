import { getInstalledKey } from '../../core/package-name.js';
import type { InstalledPackage } from '../../core/types.js';
import type { Db } from '../rows.js';
import {
  ensureSubjects,
  type FindingSubject,
  getSubjectKey,
  insertMatches,
  loadStoredMatches,
  loadSubjectIds,
  type MatchToStore,
  retireMatches,
  type StoredMatch,
  updateMatches,
} from './finding-matches.js';
import type { FanoutKey } from './match-fanout.js';

/** What the matcher found for one installed package and one vulnerability, as stored. */
export interface FoundMatch {
  vulnerabilityId: string;
  fixedVersions: string[];
  targetVersion?: string;
}

export interface SyncedMatches {
  /** Vulnerable keys, and keys of changed package names, highest key first (the first wins a tie). */
  keys: FanoutKey[];
  /** `ecosystem\0name` of installed package names whose matches changed in this run. */
  changedNames: Set<string>;
  /** Subject ids of the changed names, stored before or now. */
  changedSubjects: Set<number>;
  /** Match rows inserted, updated or retired. */
  written: number;
}

/**
 * Compares this run's evaluation with the stored (package version, vulnerability) matches and
 * stores the difference. A package name whose matches did not change needs no finding written on
 * any asset that was matched before: that is what makes a re-match with nothing new cheap.
 * `whole` says every installed package was evaluated, so stored matches of versions no asset holds
 * any more are retired too.
 */
export async function syncMatches(
  db: Db,
  packages: readonly InstalledPackage[],
  matched: Map<string, FoundMatch[]>,
  whole: boolean,
): Promise<SyncedMatches> {
  const byKey = new Map(packages.map((p) => [getInstalledKey(p), p]));
  const stored = await loadStoredMatches(db, whole ? undefined : [...new Set(packages.map((p) => p.name))]);
  const subjects = await ensureSubjects(
    db,
    [...matched].flatMap(([key, ms]) => ms.map((m) => toSubject(key, m))),
  );
  const plan = {
    insert: [] as MatchToStore[],
    update: [] as Array<MatchToStore & { id: number }>,
    retire: [] as number[],
  };
  const changedNames = new Set<string>();
  for (const key of byKey.keys()) {
    if (compareKey(key, matched.get(key) ?? [], stored.get(key) ?? [], subjects, plan))
      changedNames.add(nameOf(key));
  }
  if (whole)
    for (const [key, list] of stored)
      if (!byKey.has(key)) plan.retire.push(...list.filter((m) => m.current).map((m) => m.id));
  await insertMatches(db, plan.insert);
  await updateMatches(db, plan.update);
  await retireMatches(db, plan.retire);
  const names = [...new Set([...changedNames].map((n) => n.split('\0')[1] as string))];
  const fresh = names.length ? await loadStoredMatches(db, names) : new Map<string, StoredMatch[]>();
  return {
    keys: toFanoutKeys(byKey, stored, fresh, changedNames),
    changedNames,
    changedSubjects: await loadChangedSubjects(db, changedNames),
    written: plan.insert.length + plan.update.length + plan.retire.length,
  };
}

function toSubject(key: string, m: FoundMatch): FindingSubject {
  const [ecosystem = '', packageName = ''] = key.split('\0');
  return { vulnerabilityId: m.vulnerabilityId, ecosystem, packageName };
}

function nameOf(key: string): string {
  const [ecosystem = '', name = ''] = key.split('\0');
  return `${ecosystem}\0${name}`;
}

/** Adds what to write for one key to `plan`; true when its matches changed. */
function compareKey(
  key: string,
  now: readonly FoundMatch[],
  before: readonly StoredMatch[],
  subjects: Map<string, number>,
  plan: { insert: MatchToStore[]; update: Array<MatchToStore & { id: number }>; retire: number[] },
): boolean {
  const version = key.split('\0')[2] as string;
  const stored = new Map(before.map((m) => [m.subjectId, m]));
  const seen = new Set<number>();
  let changed = false;
  for (const m of now) {
    const subjectId = subjects.get(getSubjectKey(toSubject(key, m))) as number;
    seen.add(subjectId);
    const match: MatchToStore = { subjectId, installedVersion: version, fixedVersions: m.fixedVersions };
    if (m.targetVersion !== undefined) match.targetVersion = m.targetVersion;
    const old = stored.get(subjectId);
    if (!old) plan.insert.push(match);
    else if (!old.current || !isSameDetails(old, match)) plan.update.push({ ...match, id: old.id });
    else continue;
    changed = true;
  }
  for (const old of before) {
    if (!old.current || seen.has(old.subjectId)) continue;
    plan.retire.push(old.id);
    changed = true;
  }
  return changed;
}

function isSameDetails(a: StoredMatch, b: MatchToStore): boolean {
  return (
    (a.targetVersion ?? null) === (b.targetVersion ?? null) &&
    a.fixedVersions.length === b.fixedVersions.length &&
    a.fixedVersions.every((v, i) => v === b.fixedVersions[i])
  );
}

function toFanoutKeys(
  byKey: Map<string, InstalledPackage>,
  stored: Map<string, StoredMatch[]>,
  fresh: Map<string, StoredMatch[]>,
  changedNames: Set<string>,
): FanoutKey[] {
  const keys: FanoutKey[] = [];
  for (const [key, p] of byKey) {
    const current = (fresh.get(key) ?? stored.get(key) ?? []).filter((m) => m.current);
    const changed = changedNames.has(nameOf(key));
    if (current.length === 0 && !changed) continue;
    const matches = current.map((m) => ({ subjectId: m.subjectId, matchId: m.id }));
    keys.push({ ecosystem: p.ecosystem, name: p.name, version: p.version, changed, matches });
  }
  // Highest key first: of two versions of one package on one asset the higher (as sorted before) wins.
  return keys.sort((a, b) => (getInstalledKey(a) < getInstalledKey(b) ? 1 : -1));
}

async function loadChangedSubjects(db: Db, changedNames: Set<string>): Promise<Set<number>> {
  if (changedNames.size === 0) return new Set();
  const names = [...new Set([...changedNames].map((n) => n.split('\0')[1] as string))];
  const out = new Set<number>();
  for (const [key, id] of await loadSubjectIds(db, names)) {
    const [ecosystem = '', name = ''] = key.split('\0');
    if (changedNames.has(`${ecosystem}\0${name}`)) out.add(id);
  }
  return out;
}
