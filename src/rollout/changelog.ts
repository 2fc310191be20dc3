import { dpkgScheme, parseDpkgVersion } from '../versioning/dpkg/index.js';
import { rpmScheme } from '../versioning/rpm/index.js';

/** Debian Policy §5.6.17 urgencies, lowest first (`critical` is an accepted alias above emergency). */
export type Urgency = 'low' | 'medium' | 'high' | 'emergency' | 'critical';
const URGENCIES: readonly Urgency[] = ['low', 'medium', 'high', 'emergency', 'critical'];

export interface ChangelogEntry {
  version: string;
  /** Debian only. */
  urgency?: Urgency;
  /** Debian only: the suite named in the header (`bookworm-security`). */
  distribution?: string;
  /** CVE ids named in the entry, in order of first mention. */
  cves: string[];
  /** The entry's date as ISO 8601, when it parses. */
  date?: string;
  author?: string;
  /** The change lines, as written. */
  text: string;
}

export interface ChangelogSummary {
  /** The highest urgency among the entries (Debian only). */
  maxUrgency?: Urgency;
  cves: string[];
  /** The upstream part (or the epoch) differs between installed and target: a new upstream release. */
  upstreamChanged: boolean;
  /** The target is a stable or security update of a release (`+deb12u1`, `~bpo12+1`, `ubuntu0.22.04.1`, `el9_3`). */
  backport: boolean;
  /** The entries after the installed version up to and including the target, newest first. */
  entries: ChangelogEntry[];
}

const CVE = /CVE-\d{4}-\d{4,}/g;
// deb-changelog(5): `package (version) distribution(s); urgency=urgency[, key=value]`.
const DEB_HEADER = /^[a-z0-9][a-z0-9+.-]*\s+\(([^)\s]+)\)\s+([^;]+);(.*)$/;
// ` -- name <mail>  date`; very old entries indent it by two or leave the date out.
const DEB_TRAILER = /^ {1,2}-- (.*?)\s*<[^>]*>(?:\s+(.+))?$/;

/** The entries of a Debian changelog (deb-changelog(5)), newest first as written. */
export function parseDebianChangelog(text: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let current: { entry: ChangelogEntry; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    const header = DEB_HEADER.exec(line);
    if (header) {
      // An entry without a trailer still counts; the next header ends it.
      if (current) entries.push(finish(current.entry, current.lines));
      const urgency = /urgency=(\w+)/i.exec(header[3]!)?.[1]?.toLowerCase() as Urgency | undefined;
      const entry: ChangelogEntry = {
        version: header[1]!,
        distribution: header[2]!.trim(),
        cves: [],
        text: '',
      };
      if (urgency && URGENCIES.includes(urgency)) entry.urgency = urgency;
      current = { entry, lines: [] };
      continue;
    }
    if (!current) continue;
    const trailer = DEB_TRAILER.exec(line);
    if (trailer) {
      entries.push(finish(current.entry, current.lines, trailer[1]!, trailer[2]));
      current = undefined;
    } else {
      current.lines.push(line);
    }
  }
  if (current) entries.push(finish(current.entry, current.lines));
  return entries;
}

// `* Tue Jan 02 2024 Name <mail> - 1.2-3`; the `- version` part is a convention, not required.
const RPM_HEADER = /^\* (?:\w{3} )?(\w{3}\s+\d{1,2}\s+\d{4})\s+(.*)$/;

/** The entries of an rpm `%changelog` (or `rpm -q --changelog`); entries without a version are skipped. */
export function parseRpmChangelog(text: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let current: { entry: ChangelogEntry; lines: string[] } | undefined;
  const close = () => {
    if (current?.entry.version) entries.push(finish(current.entry, current.lines));
  };
  for (const line of text.split('\n')) {
    const header = RPM_HEADER.exec(line);
    if (!header) {
      current?.lines.push(line);
      continue;
    }
    close();
    const [who, version] = splitRpmAuthor(header[2]!);
    const entry: ChangelogEntry = { version, cves: [], text: '', author: who };
    const date = isoDate(`${header[1]} 00:00:00 UTC`);
    if (date) entry.date = date;
    current = { entry, lines: [] };
  }
  close();
  return entries;
}

/** `Jane Doe <jane@example.org> - 1:1.2-3` → [`Jane Doe`, `1:1.2-3`]. */
function splitRpmAuthor(rest: string): [string, string] {
  const mail = rest.lastIndexOf('>');
  const author = (mail >= 0 ? rest.slice(0, rest.indexOf('<')) : rest).trim();
  const tail = (mail >= 0 ? rest.slice(mail + 1) : '').trim().replace(/^-\s*/, '');
  return [author, tail.split(/\s+/)[0] ?? ''];
}

function finish(entry: ChangelogEntry, lines: string[], author?: string, date?: string): ChangelogEntry {
  const text = lines.join('\n').trim();
  const done: ChangelogEntry = { ...entry, text, cves: [...new Set(text.match(CVE) ?? [])] };
  if (author !== undefined) done.author = author;
  const iso = date === undefined ? undefined : isoDate(date);
  if (iso) done.date = iso;
  return done;
}

function isoDate(text: string): string | undefined {
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** What a Debian package's changelog says happened between the installed version and the target. */
export function summarizeDebianChangelog(
  text: string,
  installed: string | undefined,
  target: string,
): ChangelogSummary {
  const entries = between(parseDebianChangelog(text), installed, target, dpkgScheme.compare);
  const upstream = (v: string) => {
    const parsed = parseDpkgVersion(v);
    return `${parsed.epoch}:${parsed.upstream}`;
  };
  const upstreamChanged = installed !== undefined && upstream(installed) !== upstream(target);
  const backport = /[+~](?:deb\d+u\d+|bpo\d+)|ubuntu\d+\.\d+/.test(parseDpkgVersion(target).revision);
  return summarize(entries, upstreamChanged, backport);
}

/** The same for an rpm `%changelog`: urgency is not an rpm notion, so `maxUrgency` stays absent. */
export function summarizeRpmChangelog(
  text: string,
  installed: string | undefined,
  target: string,
): ChangelogSummary {
  const entries = between(parseRpmChangelog(text), installed, target, rpmScheme.compare);
  const upstream = (v: string) => v.replace(/^0+:/, '').replace(/-[^-]*$/, '');
  const upstreamChanged = installed !== undefined && upstream(installed) !== upstream(target);
  // RHEL marks a z-stream (stable update) release with `elN_M`.
  const backport = /\.el\d+_\d+/.test(target);
  return summarize(entries, upstreamChanged, backport);
}

/** Entries with installed < version ≤ target; entries whose version the scheme rejects are left out. */
function between(
  entries: ChangelogEntry[],
  installed: string | undefined,
  target: string,
  compare: (a: string, b: string) => number,
): ChangelogEntry[] {
  const inRange = (version: string) => {
    try {
      return compare(version, target) <= 0 && (installed === undefined || compare(version, installed) > 0);
    } catch {
      return false;
    }
  };
  return entries.filter((entry) => inRange(entry.version));
}

function summarize(entries: ChangelogEntry[], upstreamChanged: boolean, backport: boolean): ChangelogSummary {
  const summary: ChangelogSummary = {
    cves: [...new Set(entries.flatMap((e) => e.cves))],
    upstreamChanged,
    backport,
    entries,
  };
  let rank = -1;
  for (const entry of entries) {
    const r = entry.urgency === undefined ? -1 : URGENCIES.indexOf(entry.urgency);
    if (r > rank) {
      rank = r;
      summary.maxUrgency = entry.urgency;
    }
  }
  return summary;
}
