import { getOrCreate } from '../../core/collections.js';
import { type Db, fromJson, toJson } from '../rows.js';
import { type BulkColumn, insertRows } from './bulk.js';

/** What a finding is about: a vulnerability of an installed package name. */
export interface FindingSubject {
  vulnerabilityId: string;
  ecosystem: string;
  packageName: string;
}

/** A stored (package version, vulnerability) match: the details every asset holding the version shares. */
export interface StoredMatch {
  id: number;
  subjectId: number;
  vulnerabilityId: string;
  ecosystem: string;
  packageName: string;
  installedVersion: string;
  fixedVersions: string[];
  targetVersion?: string;
  current: boolean;
}

export function getSubjectKey(s: FindingSubject): string {
  return `${s.ecosystem}\0${s.packageName}\0${s.vulnerabilityId}`;
}

const NAMES_PER_QUERY = 1000;

/** The ids of these subjects, creating the missing ones; keyed by `getSubjectKey`. */
export async function ensureSubjects(
  db: Db,
  subjects: readonly FindingSubject[],
): Promise<Map<string, number>> {
  const wanted = new Map(subjects.map((s) => [getSubjectKey(s), s]));
  const ids = await loadSubjectIds(db, [...new Set(subjects.map((s) => s.packageName))]);
  const missing = [...wanted].filter(([key]) => !ids.has(key)).map(([, s]) => s);
  if (missing.length === 0) return ids;
  const rows = missing.map((s) => [s.vulnerabilityId, s.ecosystem, s.packageName]);
  await insertRows(db, 'finding_subjects', SUBJECT_COLUMNS, rows);
  const created = await loadSubjectIds(db, [...new Set(missing.map((s) => s.packageName))]);
  for (const [key, id] of created) ids.set(key, id);
  return ids;
}

const SUBJECT_COLUMNS: readonly BulkColumn[] = [
  { name: 'vulnerability_id', type: 'text' },
  { name: 'ecosystem', type: 'text' },
  { name: 'package_name', type: 'text' },
];

/** Subject ids of these package names (every ecosystem), keyed by `getSubjectKey`. */
export async function loadSubjectIds(db: Db, names: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < names.length; i += NAMES_PER_QUERY) {
    const rows = await db
      .selectFrom('finding_subjects')
      .select(['id', 'vulnerability_id', 'ecosystem', 'package_name'])
      .where('package_name', 'in', names.slice(i, i + NAMES_PER_QUERY))
      .execute();
    for (const r of rows)
      out.set(
        getSubjectKey({
          vulnerabilityId: r.vulnerability_id,
          ecosystem: r.ecosystem,
          packageName: r.package_name,
        }),
        Number(r.id),
      );
  }
  return out;
}

/**
 * The stored matches of these package names (current and not), by installed key
 * `ecosystem\0name\0version`; every stored match when `names` is omitted.
 */
export async function loadStoredMatches(
  db: Db,
  names?: readonly string[],
): Promise<Map<string, StoredMatch[]>> {
  const out = new Map<string, StoredMatch[]>();
  const batches = names ? sliceNames(names) : [undefined];
  for (const batch of batches) {
    let query = db
      .selectFrom('finding_matches as m')
      .innerJoin('finding_subjects as s', 's.id', 'm.subject_id')
      .select([
        'm.id',
        'm.subject_id',
        'm.installed_version',
        'm.fixed_versions',
        'm.target_version',
        'm.current',
        's.vulnerability_id',
        's.ecosystem',
        's.package_name',
      ]);
    if (batch) query = query.where('s.package_name', 'in', batch);
    for (const r of await query.execute()) {
      const match: StoredMatch = {
        id: Number(r.id),
        subjectId: Number(r.subject_id),
        vulnerabilityId: r.vulnerability_id,
        ecosystem: r.ecosystem,
        packageName: r.package_name,
        installedVersion: r.installed_version,
        fixedVersions: fromJson<string[]>(r.fixed_versions) ?? [],
        current: Number(r.current) === 1,
      };
      if (r.target_version !== null) match.targetVersion = r.target_version;
      getOrCreate(out, `${r.ecosystem}\0${r.package_name}\0${r.installed_version}`, () => []).push(match);
    }
  }
  return out;
}

function sliceNames(names: readonly string[]): string[][] {
  const unique = [...new Set(names)];
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += NAMES_PER_QUERY) out.push(unique.slice(i, i + NAMES_PER_QUERY));
  return out;
}

/** A match to store: a subject, the installed version and the details. */
export interface MatchToStore {
  subjectId: number;
  installedVersion: string;
  fixedVersions: string[];
  targetVersion?: string;
}

const MATCH_COLUMNS: readonly BulkColumn[] = [
  { name: 'subject_id', type: 'integer' },
  { name: 'installed_version', type: 'text' },
  { name: 'fixed_versions', type: 'text' },
  { name: 'target_version', type: 'text' },
];

/** Inserts new matches (current); the caller knows none of them is stored yet. */
export async function insertMatches(db: Db, matches: readonly MatchToStore[]): Promise<void> {
  const rows = matches.map((m) => [
    m.subjectId,
    m.installedVersion,
    toJson(m.fixedVersions),
    m.targetVersion ?? null,
  ]);
  await insertRows(db, 'finding_matches', MATCH_COLUMNS, rows);
}

/** Rewrites the details of stored matches and marks them current again. */
export async function updateMatches(
  db: Db,
  matches: ReadonlyArray<MatchToStore & { id: number }>,
): Promise<void> {
  for (const m of matches) {
    await db
      .updateTable('finding_matches')
      .set({ fixed_versions: toJson(m.fixedVersions), target_version: m.targetVersion ?? null, current: 1 })
      .where('id', '=', m.id)
      .execute();
  }
}

/** Marks matches the latest evaluation no longer reports: kept, since fixed findings still point at them. */
export async function retireMatches(db: Db, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += NAMES_PER_QUERY)
    await db
      .updateTable('finding_matches')
      .set({ current: 0 })
      .where('id', 'in', ids.slice(i, i + NAMES_PER_QUERY))
      .execute();
}

/** The id of the (subject, version) match, created with these details when missing. */
export async function ensureMatch(db: Db, match: MatchToStore): Promise<number> {
  const found = await db
    .selectFrom('finding_matches')
    .select('id')
    .where('subject_id', '=', match.subjectId)
    .where('installed_version', '=', match.installedVersion)
    .executeTakeFirst();
  if (found) {
    await updateMatches(db, [{ ...match, id: Number(found.id) }]);
    return Number(found.id);
  }
  await insertMatches(db, [match]);
  return ensureMatch(db, match);
}
