/**
 * OSV `affected[]` evaluation (https://ossf.github.io/osv-schema/#evaluation): does an OSV record
 * cover an installed (ecosystem, name, version)?
 *
 * - ECOSYSTEM ranges use the ecosystem's scheme, SEMVER ranges the semver scheme; GIT ranges are
 *   commit ranges, so for them only the entry's explicit `versions` list counts.
 * - Events may come in any order: they are sorted by version (`introduced: "0"` first) and swept.
 * - `database_specific` / `ecosystem_specific` are never read.
 * - Strictness: a malformed record (an event with no or several keys, an event version the scheme
 *   rejects) and an installed version the scheme rejects throw typed errors; no guessing.
 * - An empty installed version means "version unknown": covered whenever an entry for the package
 *   exists (a false alarm is cheaper than a missed vulnerability; osv-scalibr does the same).
 */
import { getLookupName, isSameRelease } from '../core/package-name.js';
import { getEcosystemBase, getVersionScheme, getVersionSchemeById } from './ecosystems.js';
import { InvalidVersionError } from './errors.js';
import type { VersionScheme } from './types.js';

export interface OsvPackage {
  ecosystem: string;
  name: string;
}

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  repo?: string;
  events?: readonly OsvEvent[];
}

export interface OsvAffected {
  package?: Partial<OsvPackage> & { purl?: string };
  ranges?: readonly OsvRange[];
  versions?: readonly string[];
}

/** The part of an OSV record this module reads. */
export interface OsvRecordLike {
  id?: string;
  affected?: readonly OsvAffected[];
}

type EventKind = keyof OsvEvent;
interface SortedEvent {
  kind: EventKind;
  version: string;
}

const EVENT_KINDS: readonly EventKind[] = ['introduced', 'fixed', 'last_affected', 'limit'];

/**
 * The scheme that orders ECOSYSTEM ranges of an ecosystem. npm is the one place where this is not
 * the ecosystem's own scheme: OSV (osv.dev and osv-scalibr alike) orders npm ranges as SEMVER,
 * whose reading is lenient ("1", "0.0.0.1" are versions there), and npm advisories rely on it.
 */
function getRangeScheme(ecosystem: string, type: string): VersionScheme {
  if (type === 'SEMVER') return getVersionSchemeById('semver');
  const scheme = getVersionScheme(ecosystem);
  return scheme.id === 'npm' ? getVersionSchemeById('semver') : scheme;
}

/** Same package: same ecosystem base, same release when both name one, same (normalised) name. */
function isSamePackage(pkg: OsvPackage, entry: OsvAffected): boolean {
  const other = entry.package;
  if (!other?.ecosystem || other.name === undefined) return false;
  if (getEcosystemBase(other.ecosystem) !== getEcosystemBase(pkg.ecosystem)) return false;
  if (!isSameRelease(pkg.ecosystem, other.ecosystem)) return false;
  return getLookupName(pkg.ecosystem, pkg.name) === getLookupName(pkg.ecosystem, other.name);
}

function readEvents(range: OsvRange, scheme: VersionScheme, where: string): SortedEvent[] {
  const events: SortedEvent[] = [];
  for (const [i, event] of (range.events ?? []).entries()) {
    const kinds = EVENT_KINDS.filter((k) => typeof event?.[k] === 'string');
    if (kinds.length !== 1) {
      throw new InvalidVersionError(
        scheme.id,
        JSON.stringify(event),
        `${where}.events[${i}] must have exactly one of ${EVENT_KINDS.join(', ')}`,
      );
    }
    const kind = kinds[0] as EventKind;
    const version = event[kind] as string;
    if (!(kind === 'introduced' && version === '0') && !scheme.isValid(version)) {
      throw new InvalidVersionError(scheme.id, version, `in ${where}.events[${i}].${kind}`);
    }
    events.push({ kind, version });
  }
  return events.sort((a, b) => compareEvents(a, b, scheme));
}

function compareEvents(a: SortedEvent, b: SortedEvent, scheme: VersionScheme): number {
  const aZero = a.kind === 'introduced' && a.version === '0';
  const bZero = b.kind === 'introduced' && b.version === '0';
  if (aZero || bZero) return aZero === bZero ? 0 : aZero ? -1 : 1;
  return scheme.compare(a.version, b.version);
}

/** The OSV evaluation sweep over sorted events, plus the `limit` cap. */
function isInEvents(version: string, events: readonly SortedEvent[], scheme: VersionScheme): boolean {
  let affected = false;
  const limits: string[] = [];
  for (const { kind, version: at } of events) {
    if (kind === 'limit') limits.push(at);
    else if (kind === 'introduced') affected ||= at === '0' || scheme.compare(version, at) >= 0;
    else if (kind === 'fixed') affected &&= scheme.compare(version, at) < 0;
    else affected &&= scheme.compare(version, at) <= 0;
  }
  return affected && (limits.length === 0 || limits.some((at) => scheme.compare(version, at) < 0));
}

function isListed(version: string, listed: readonly string[], scheme: VersionScheme): boolean {
  return listed.some((v) => scheme.isValid(v) && scheme.compare(version, v) === 0);
}

function findScheme(ecosystem: string): VersionScheme | undefined {
  try {
    return getRangeScheme(ecosystem, 'ECOSYSTEM');
  } catch {
    return undefined;
  }
}

function requireValid(scheme: VersionScheme, version: string): void {
  if (!scheme.isValid(version)) throw new InvalidVersionError(scheme.id, version, 'installed version');
}

/** How one matching entry covers a version: which range, and the fix that closes its interval. */
export interface AffectedMatch {
  /** Index into `affected[]`. */
  entry: number;
  /** Index into the entry's `ranges[]`, or null when the version was matched by the `versions` list. */
  range: number | null;
  /** The `fixed` event closing the interval that holds the version; null when the interval is open or ends at `last_affected`. */
  fixed: string | null;
}

/** The event closing the interval that holds `version`: the first fixed/last_affected at or after it. */
function findCloser(version: string, events: readonly SortedEvent[], scheme: VersionScheme): string | null {
  for (const { kind, version: at } of events) {
    if (kind === 'fixed' && scheme.compare(version, at) < 0) return at;
    if (kind === 'last_affected' && scheme.compare(version, at) <= 0) return null;
  }
  return null;
}

/** Evaluates one matching entry; a malformed range throws whatever the installed version. */
function matchEntry(
  pkg: OsvPackage,
  version: string,
  entry: OsvAffected,
  index: number,
  where: string,
): AffectedMatch[] {
  const ranges = entry.ranges ?? [];
  const versions = entry.versions ?? [];
  if (ranges.length === 0 && versions.length === 0) return [];
  const sweeps: { range: number; scheme: VersionScheme; events: SortedEvent[] }[] = [];
  for (const [i, range] of ranges.entries()) {
    if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') continue;
    const scheme = getRangeScheme(pkg.ecosystem, range.type);
    sweeps.push({ range: i, scheme, events: readEvents(range, scheme, `${where}.ranges[${i}]`) });
  }
  if (version === '') return [{ entry: index, range: null, fixed: null }];
  const listed = versions.includes(version);
  const matches: AffectedMatch[] = [];
  let listedFix: string | null = null;
  for (const { range, scheme, events } of sweeps) {
    // A version listed verbatim counts even where the scheme cannot read it.
    if (listed && !scheme.isValid(version)) continue;
    requireValid(scheme, version);
    const closer = findCloser(version, events, scheme);
    if (isInEvents(version, events, scheme)) matches.push({ entry: index, range, fixed: closer });
    else listedFix ??= closer;
  }
  if (matches.length > 0) return matches;
  if (listed) return [{ entry: index, range: null, fixed: listedFix }];
  // Without a scheme (an ecosystem unknown here) only the exact strings listed can match.
  const listScheme = versions.length > 0 ? findScheme(pkg.ecosystem) : undefined;
  if (!listScheme) return [];
  requireValid(listScheme, version);
  return isListed(version, versions, listScheme) ? [{ entry: index, range: null, fixed: null }] : [];
}

/**
 * Every way `record` covers `version` of `pkg`: one match per affecting range (or per `versions`
 * list hit), each with the fix that closes its interval. Empty when the version is not affected.
 * Throws like `isAffected`.
 */
export function evaluateAffected(pkg: OsvPackage, version: string, record: OsvRecordLike): AffectedMatch[] {
  const matches: AffectedMatch[] = [];
  for (const [i, entry] of (record.affected ?? []).entries()) {
    if (!isSamePackage(pkg, entry)) continue;
    matches.push(...matchEntry(pkg, version, entry, i, `${record.id ?? 'record'}.affected[${i}]`));
  }
  return matches;
}

/**
 * True when any `affected[]` entry of `record` for the same package covers `version`.
 * Throws `UnknownEcosystemError` for an ecosystem without a scheme and `InvalidVersionError` for an
 * invalid installed version or a malformed range of a matching entry.
 */
export function isAffected(pkg: OsvPackage, version: string, record: OsvRecordLike): boolean {
  return evaluateAffected(pkg, version, record).length > 0;
}
