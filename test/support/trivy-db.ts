/**
 * Test support: converts a trivy-db fixture set (`db/*.yaml` of Trivy's integration suite) into OSV
 * records, so patchcast can be run against the very advisories Trivy's expected reports came from.
 *
 * Trivy's rules, and how they are carried over:
 * - Language buckets (`<source>::<name>`): a version is vulnerable when it meets one of the
 *   `VulnerableVersions` constraints and none of the `PatchedVersions` ones; without vulnerable
 *   constraints it is vulnerable when it meets no patched one (trivy pkg/detector/library/compare).
 *   Here that is computed as interval arithmetic, then written as OSV ECOSYSTEM ranges the way
 *   GitHub's OSV export writes GHSA: `>=` → introduced, `<` → fixed, `<=` → fixed at the next patched
 *   version when one is listed, else last_affected.
 * - Distribution buckets (`<distro> <release>`): `FixedVersion` → introduced 0 / fixed; no fix → an
 *   open range (unfixed), as OSV's Debian/Alpine/AlmaLinux records do. `Status: 1` (not affected) is skipped.
 * - Red Hat (`Red Hat` bucket + `Red Hat CPE`): each entry lists CPE indices; an index becomes OSV's
 *   Red Hat ecosystem for that product stream (`cpe:/o:redhat:enterprise_linux:7::server` →
 *   `Red Hat:enterprise_linux:7::server`). An RHSA key is split into one record per CVE it lists
 *   (Trivy reports the CVEs), with the RHSA in `related`; indices cpe.yaml does not name are dropped
 *   (Trivy cannot reach them either: it selects CPEs through content sets).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { getVersionScheme } from '../../src/versioning/index.js';

/** What one OSV record needs here. */
export interface OsvRecordOut {
  id: string;
  modified: string;
  related?: string[];
  affected: Array<{
    package: { ecosystem: string; name: string };
    ranges: Array<{ type: 'ECOSYSTEM'; events: Array<Record<string, string>> }>;
  }>;
}

export interface TrivyDbConversion {
  records: OsvRecordOut[];
  /** Buckets with no OSV ecosystem (or none patchcast can order), with the reason. */
  skipped: string[];
}

interface Pair {
  bucket?: string;
  key?: string;
  value?: unknown;
  pairs?: Pair[];
}

const LANGUAGE_ECOSYSTEMS: Readonly<Record<string, string>> = {
  npm: 'npm',
  pip: 'PyPI',
  go: 'Go',
  maven: 'Maven',
  nuget: 'NuGet',
  composer: 'Packagist',
  pub: 'Pub',
  cargo: 'crates.io',
  rubygems: 'RubyGems',
  swift: 'SwiftURL',
  cocoapods: 'CocoaPods',
  conan: 'ConanCenter',
  erlang: 'Hex',
};

/** `<distro> <release>` bucket → OSV ecosystem with release; undefined when OSV has none. */
function getDistroEcosystem(bucket: string): string | undefined {
  const rules: Array<[RegExp, (m: RegExpExecArray) => string]> = [
    [/^debian (\d+)$/, (m) => `Debian:${m[1]}`],
    [/^ubuntu (\d+\.\d+)$/, (m) => `Ubuntu:${m[1]}`],
    [/^alpine (\d+\.\d+)$/, (m) => `Alpine:v${m[1]}`],
    [/^alma (\d+)$/, (m) => `AlmaLinux:${m[1]}`],
    [/^rocky (\d+)$/, (m) => `Rocky Linux:${m[1]}`],
    [/^openSUSE Leap (\S+)$/, (m) => `openSUSE:Leap ${m[1]}`],
    [/^openSUSE Tumbleweed$/, () => 'openSUSE:Tumbleweed'],
    [/^SUSE Linux Enterprise (\d+)-SP(\d+)$/, (m) => `SUSE:Linux Enterprise Server ${m[1]} SP${m[2]}`],
    [/^SUSE Linux Enterprise Micro (\S+)$/, (m) => `SUSE:Linux Enterprise Micro ${m[1]}`],
  ];
  for (const [re, make] of rules) {
    const m = re.exec(bucket);
    if (m) return make(m);
  }
  return undefined;
}

/** Reads every `*.yaml` of a trivy-db fixture directory and converts it. */
export function convertTrivyDb(dir: string): TrivyDbConversion {
  const buckets: Pair[] = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'vulnerability.yaml' && f !== 'data-source.yaml')
    .sort()
    .flatMap((f) => parse(readFileSync(join(dir, f), 'utf8')) as Pair[]);
  const cpes = new Map<string, string>();
  for (const b of buckets.filter((x) => x.bucket === 'Red Hat CPE')) {
    for (const p of b.pairs?.find((x) => x.bucket === 'cpe')?.pairs ?? [])
      cpes.set(String(p.key), String(p.value));
  }
  const out = new RecordSet();
  const skipped: string[] = [];
  for (const b of buckets) {
    const name = b.bucket ?? '';
    if (name === 'Red Hat CPE') continue;
    const language = LANGUAGE_ECOSYSTEMS[name.split('::')[0] ?? ''];
    if (name.includes('::') && language) addLanguageBucket(b, language, out);
    else if (name === 'Red Hat') addRedHatBucket(b, cpes, out);
    else if (getDistroEcosystem(name)) addDistroBucket(b, getDistroEcosystem(name) as string, out);
    else skipped.push(`${name}: no OSV ecosystem`);
  }
  return { records: out.list(), skipped };
}

/** Writes one `<id>.json` per record into `dir` (created). */
export function writeOsvRecords(records: readonly OsvRecordOut[], dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const r of records)
    writeFileSync(join(dir, `${r.id.replace(/[^\w.-]/g, '_')}.json`), JSON.stringify(r, null, 1));
}

class RecordSet {
  private readonly byId = new Map<string, OsvRecordOut>();
  add(id: string, entry: OsvRecordOut['affected'][number], related?: string): void {
    let record = this.byId.get(id);
    if (!record) {
      record = { id, modified: '2024-01-01T00:00:00Z', affected: [] };
      this.byId.set(id, record);
    }
    record.affected.push(entry);
    if (related && !record.related?.includes(related)) record.related = [...(record.related ?? []), related];
  }
  list(): OsvRecordOut[] {
    return [...this.byId.values()];
  }
}

function* advisories(bucket: Pair): Generator<{ pkg: string; id: string; value: Record<string, unknown> }> {
  for (const pkg of bucket.pairs ?? []) {
    for (const adv of pkg.pairs ?? []) {
      yield {
        pkg: String(pkg.bucket),
        id: String(adv.key).trim(),
        value: (adv.value ?? {}) as Record<string, unknown>,
      };
    }
  }
}

function addDistroBucket(bucket: Pair, ecosystem: string, out: RecordSet): void {
  for (const { pkg, id, value } of advisories(bucket)) {
    if (value.Status === 1) continue;
    const fixed =
      typeof value.FixedVersion === 'string' && value.FixedVersion ? value.FixedVersion : undefined;
    out.add(id, distroEntry(ecosystem, pkg, fixed));
  }
}

function distroEntry(
  ecosystem: string,
  name: string,
  fixed: string | undefined,
): OsvRecordOut['affected'][number] {
  const events: Array<Record<string, string>> = [{ introduced: '0' }];
  if (fixed) events.push({ fixed });
  return { package: { ecosystem, name }, ranges: [{ type: 'ECOSYSTEM', events }] };
}

interface RedHatEntry {
  Affected?: number[];
  Cves?: Array<{ ID?: string }>;
  FixedVersion?: string;
  Status?: number;
}

function addRedHatBucket(bucket: Pair, cpes: ReadonlyMap<string, string>, out: RecordSet): void {
  for (const { pkg, id, value } of advisories(bucket)) {
    for (const entry of (value.Entries ?? []) as RedHatEntry[]) {
      if (entry.Status === 1) continue;
      const cves = (entry.Cves ?? []).flatMap((c) => (c.ID ? [c.ID] : []));
      const ids = cves.length > 0 ? cves : [id];
      for (const index of entry.Affected ?? []) {
        const cpe = cpes.get(String(index));
        if (!cpe) continue;
        const ecosystem = `Red Hat:${cpe.replace(/^cpe:\/[aoh]:redhat:/, '')}`;
        for (const vid of ids)
          out.add(
            vid,
            distroEntry(ecosystem, pkg, entry.FixedVersion || undefined),
            vid === id ? undefined : id,
          );
      }
    }
  }
}

function addLanguageBucket(bucket: Pair, ecosystem: string, out: RecordSet): void {
  const compare = makeCompare(ecosystem);
  for (const { pkg, id, value } of advisories(bucket)) {
    const vulnerable = ((value.VulnerableVersions ?? []) as string[]).map(String);
    const patched = ((value.PatchedVersions ?? []) as string[]).map(String);
    const intervals = getVulnerableIntervals(vulnerable, patched, ecosystem, compare);
    const ranges = intervals.map((iv) => ({
      type: 'ECOSYSTEM' as const,
      events: toEvents(iv, patched, ecosystem, compare),
    }));
    if (ranges.length > 0) out.add(id, { package: { ecosystem, name: pkg }, ranges });
  }
}

/** A version bound; undefined means unbounded. */
interface Bound {
  v: string;
  incl: boolean;
}
interface Interval {
  lo?: Bound;
  hi?: Bound;
}
type Compare = (a: string, b: string) => number;

/** The ecosystem's order; CocoaPods and ConanCenter (no scheme in patchcast) get dotted-number order. */
function makeCompare(ecosystem: string): Compare {
  try {
    const scheme = getVersionScheme(ecosystem);
    return (a, b) => scheme.compare(a, b);
  } catch {
    return (a, b) => {
      const x = a.split(/[.-]/);
      const y = b.split(/[.-]/);
      for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d =
          (Number(x[i] ?? 0) || 0) - (Number(y[i] ?? 0) || 0) || (x[i] ?? '').localeCompare(y[i] ?? '');
        if (d !== 0) return Math.sign(d);
      }
      return 0;
    };
  }
}

/** Trivy's IsVulnerable as intervals: ∪ vulnerable − ∪ patched (all versions when no vulnerable). */
function getVulnerableIntervals(
  vulnerable: string[],
  patched: string[],
  ecosystem: string,
  compare: Compare,
): Interval[] {
  if ([...vulnerable, ...patched].some((c) => c.trim() === '')) return [{}];
  let result = vulnerable.length > 0 ? vulnerable.flatMap((c) => parseConstraint(c, ecosystem)) : [{}];
  for (const secure of patched.flatMap((c) => parseConstraint(c, ecosystem))) {
    result = result.flatMap((iv) => subtract(iv, secure, compare));
  }
  return result.filter((iv) => !isEmpty(iv, compare));
}

/** One constraint string: `||` alternatives of `,`/space-joined comparators, or Maven/NuGet intervals. */
function parseConstraint(text: string, ecosystem: string): Interval[] {
  return text.split('||').flatMap((alt) => {
    const t = alt.trim();
    if (/^[[(]/.test(t))
      return [...t.matchAll(/([[(])\s*([^,\])]*)\s*(?:,\s*([^\])]*))?\s*([\])])/g)].map(
        parseBracket(ecosystem),
      );
    const iv: Interval = {};
    for (const m of t.matchAll(/(>=|<=|==|=|>|<|~>|\^|~)?\s*([^\s,<>=]+)/g))
      applyComparator(iv, m[1] ?? '=', normalize(m[2] as string, ecosystem), t);
    return [iv];
  });
}

const parseBracket =
  (ecosystem: string) =>
  (m: RegExpMatchArray): Interval => {
    const [, open, low = '', high, close] = m;
    if (high === undefined)
      return {
        lo: { v: normalize(low, ecosystem), incl: true },
        hi: { v: normalize(low, ecosystem), incl: true },
      };
    const iv: Interval = {};
    if (low.trim()) iv.lo = { v: normalize(low.trim(), ecosystem), incl: open === '[' };
    if (high.trim()) iv.hi = { v: normalize(high.trim(), ecosystem), incl: close === ']' };
    return iv;
  };

function applyComparator(iv: Interval, op: string, v: string, text: string): void {
  if (op === '>=') iv.lo = { v, incl: true };
  else if (op === '>') iv.lo = { v, incl: false };
  else if (op === '<') iv.hi = { v, incl: false };
  else if (op === '<=') iv.hi = { v, incl: true };
  else if (op === '=' || op === '==') {
    iv.lo = { v, incl: true };
    iv.hi = { v, incl: true };
  } else throw new Error(`trivy-db constraint ${JSON.stringify(text)}: operator ${op} not supported`);
}

/** OSV writes Go module versions without the `v` (osv-schema: Go ecosystem). */
function normalize(version: string, ecosystem: string): string {
  return ecosystem === 'Go' ? version.replace(/^v(?=\d)/, '') : version;
}

function isEmpty(iv: Interval, compare: Compare): boolean {
  if (!iv.lo || !iv.hi) return false;
  const d = compare(iv.lo.v, iv.hi.v);
  return d > 0 || (d === 0 && !(iv.lo.incl && iv.hi.incl));
}

function subtract(a: Interval, b: Interval, compare: Compare): Interval[] {
  const pieces: Interval[] = [];
  if (b.lo)
    pieces.push({ ...(a.lo ? { lo: a.lo } : {}), hi: minHi(a.hi, { v: b.lo.v, incl: !b.lo.incl }, compare) });
  if (b.hi) {
    const lo = maxLo(a.lo, { v: b.hi.v, incl: !b.hi.incl }, compare);
    pieces.push({ lo, ...(a.hi ? { hi: a.hi } : {}) });
  }
  return pieces.filter((iv) => !isEmpty(iv, compare));
}

function minHi(a: Bound | undefined, b: Bound, compare: Compare): Bound {
  if (!a) return b;
  const d = compare(a.v, b.v);
  return d < 0 || (d === 0 && !a.incl) ? a : b;
}

function maxLo(a: Bound | undefined, b: Bound, compare: Compare): Bound {
  if (!a) return b;
  const d = compare(a.v, b.v);
  return d > 0 || (d === 0 && !a.incl) ? a : b;
}

/** OSV events for one interval; an open lower bound cannot be written in OSV and is refused. */
function toEvents(
  iv: Interval,
  patched: string[],
  ecosystem: string,
  compare: Compare,
): Array<Record<string, string>> {
  if (iv.lo && !iv.lo.incl) throw new Error(`interval starting after ${iv.lo.v} has no OSV form`);
  const events: Array<Record<string, string>> = [{ introduced: iv.lo?.v ?? '0' }];
  if (!iv.hi) return events;
  if (!iv.hi.incl) return [...events, { fixed: iv.hi.v }];
  // GHSA's OSV export: `<= X` with a first patched version P > X is written `fixed: P`.
  const hi = iv.hi.v;
  const next = patched
    .map((p) => normalize(p.trim(), ecosystem))
    .filter((p) => /^[\w.+-]+$/.test(p) && compare(p, hi) > 0)
    .sort(compare)[0];
  return [...events, next ? { fixed: next } : { last_affected: hi }];
}
