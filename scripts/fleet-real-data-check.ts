/**
 * Real-data check (not a test): scans the 81 image inventories of ../shared/data/fleet against the
 * distribution OSV exports of ../shared/data/osv (Debian, Ubuntu, Alpine), prints findings per image
 * and rewrites the generated blocks of docs/matching-real-data.md (the hand-written parts stay).
 * With the querybatch oracle present, also compares patchcast with osv.dev's answers.
 *
 *   npx tsx scripts/fleet-real-data-check.ts [--shared DIR]
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AssetInventory, collectInventory } from '../src/inventory/collect.js';
import { type AdvisorySource, loadOsvAdvisorySource } from '../src/matching/advisory-source.js';
import { type ScanFinding, scanInventories } from '../src/matching/scan.js';

const argShared = process.argv.indexOf('--shared');
const SHARED =
  argShared > 0
    ? (process.argv[argShared + 1] as string)
    : fileURLToPath(new URL('../../shared/', import.meta.url));
const DOC = fileURLToPath(new URL('../docs/matching-real-data.md', import.meta.url));
const DISTROS = ['Debian', 'Ubuntu', 'Alpine'];
/** Language exports, used for the querybatch comparison only. */
const LANGUAGES = ['Go', 'PyPI', 'crates.io', 'RubyGems', 'Packagist', 'npm', 'Hackage'];

/** Several per-ecosystem sources as one; their lookup keys never overlap (the key starts with the ecosystem). */
function mergeSources(sources: readonly AdvisorySource[]): AdvisorySource {
  return {
    async loadEntries(packages) {
      const out = new Map();
      for (const s of sources)
        for (const [k, v] of await s.loadEntries(packages)) out.set(k, [...(out.get(k) ?? []), ...v]);
      return out;
    },
    async loadDetails(ids) {
      const out = new Map();
      for (const s of sources) for (const [k, v] of await s.loadDetails(ids)) out.set(k, v);
      return out;
    },
    async loadEcosystems() {
      const all = await Promise.all(sources.map((s) => s.loadEcosystems()));
      return [...new Set(all.flat())].sort();
    },
  };
}

async function loadSources(ecosystems: readonly string[]): Promise<AdvisorySource> {
  const sources: AdvisorySource[] = [];
  for (const e of ecosystems) {
    const zip = join(SHARED, 'data', 'osv', e, 'all.zip');
    if (existsSync(zip)) sources.push(await loadOsvAdvisorySource(zip));
  }
  return mergeSources(sources);
}

interface ImageRow {
  file: string;
  name: string;
  ecosystem: string;
  asOf: string;
  packages: number;
  withSource: number;
  findings: number;
  withFix: number;
  unfixed: number;
  vulnerablePackages: number;
  problems: number;
}

async function checkFleet(source: AdvisorySource): Promise<{ rows: ImageRow[]; findings: ScanFinding[] }> {
  const dir = join(SHARED, 'data', 'fleet');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const assets: AssetInventory[] = [];
  const meta = new Map<string, { asOf: string }>();
  for (const file of files) {
    const id = file.replace(/\.json$/, '');
    const { assets: found } = await collectInventory([join(dir, file)], { assetId: id });
    assets.push(...found);
    meta.set(id, {
      asOf: String(
        (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { as_of?: string }).as_of ?? '',
      ).slice(0, 10),
    });
  }
  const started = performance.now();
  const result = await scanInventories(assets, source);
  console.log(
    `scanned ${assets.length} images, ${result.packages} distinct packages, ${result.findings.length} findings in ${Math.round(performance.now() - started)} ms`,
  );
  const rows = assets.map((a) => {
    const own = result.findings.filter((f) => f.asset === a.assetId);
    const withFix = own.filter((f) => f.targetVersion !== null).length;
    return {
      file: `${a.assetId}.json`,
      name: a.name,
      ecosystem: a.osEcosystem ?? a.packages[0]?.ecosystem ?? '',
      asOf: meta.get(a.assetId)?.asOf ?? '',
      packages: a.packages.length,
      withSource: a.packages.filter((p) => p.sourceName).length,
      findings: own.length,
      withFix,
      unfixed: own.length - withFix,
      vulnerablePackages: new Set(own.map((f) => `${f.package.name}@${f.package.version}`)).size,
      problems: result.problems.filter((p) => a.packages.includes(p.package as never)).length,
    };
  });
  return { rows, findings: result.findings };
}

function renderFleetTable(rows: readonly ImageRow[]): string {
  const lines = [
    '| image | ecosystem | as_of | packages | with source name | findings | with fix | unfixed | vulnerable packages |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| \`${r.name}\` | ${r.ecosystem} | ${r.asOf} | ${r.packages} | ${r.withSource} | ${r.findings} | ${r.withFix} | ${r.unfixed} | ${r.vulnerablePackages} |`,
    );
  }
  const sum = (k: keyof ImageRow) => rows.reduce((n, r) => n + (r[k] as number), 0);
  lines.push(
    `| **all ${rows.length}** | | | ${sum('packages')} | ${sum('withSource')} | ${sum('findings')} | ${sum('withFix')} | ${sum('unfixed')} | ${sum('vulnerablePackages')} |`,
  );
  return lines.join('\n');
}

/** Findings per OS release: how the data's coverage limits show. */
function renderByRelease(rows: readonly ImageRow[]): string {
  const by = new Map<string, { images: number; clean: number; findings: number; packages: number }>();
  for (const r of rows) {
    const e = by.get(r.ecosystem) ?? { images: 0, clean: 0, findings: 0, packages: 0 };
    e.images++;
    e.findings += r.findings;
    e.packages += r.packages;
    if (r.findings === 0) e.clean++;
    by.set(r.ecosystem, e);
  }
  const lines = [
    '| ecosystem | images | images with no finding | packages | findings |',
    '|---|---|---|---|---|',
  ];
  for (const [k, v] of [...by].sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`| ${k} | ${v.images} | ${v.clean} | ${v.packages} | ${v.findings} |`);
  return lines.join('\n');
}

interface Query {
  package: { ecosystem: string; name: string };
  version: string;
  /** IDs osv.dev returned. */
  vulns?: string[];
}

/**
 * The ids (and their aliases) of the records in `source` with an entry for this package on this
 * release: what patchcast could find at all, whatever the version.
 */
async function getPresentIds(source: AdvisorySource, ecosystem: string, name: string): Promise<Set<string>> {
  const entries = [...(await source.loadEntries([{ ecosystem, name }])).values()].flat();
  const release = ecosystem.split(':').slice(1);
  const sameRelease = (other: string) =>
    other
      .split(':')
      .slice(1)
      .every((part, i) => i >= release.length || part === release[i]);
  const ids = [...new Set(entries.filter((e) => sameRelease(e.ecosystem)).map((e) => e.vulnerabilityId))];
  const details = await source.loadDetails(ids);
  return new Set(ids.flatMap((id) => [id, ...(details.get(id)?.aliases ?? [])]));
}

/** osv.dev's querybatch answers vs patchcast over the same (ecosystem, name, version), where ../osv has the ecosystem. */
async function checkQuerybatch(): Promise<string | undefined> {
  const path = join(SHARED, 'testdata', 'e2e', 'osv-scanner-querybatch.json');
  if (!existsSync(path)) return undefined;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { queries?: Query[] } | Query[];
  const queries = (Array.isArray(raw) ? raw : (raw.queries ?? [])).filter((q) => q.package && q.version);
  const have = new Set([...DISTROS, ...LANGUAGES]);
  const source = await loadSources([...have]);
  const stats = new Map<
    string,
    { queries: number; expected: number; found: number; inData: number; foundInData: number; extra: number }
  >();
  const missing: string[] = [];
  const extras: string[] = [];
  for (const q of queries) {
    const base = q.package.ecosystem.split(':')[0] as string;
    if (!have.has(base)) continue;
    const asset: AssetInventory = {
      assetId: 'q',
      name: 'q',
      kind: 'host',
      packages: [{ ecosystem: q.package.ecosystem, name: q.package.name, version: q.version }],
      sources: [],
    };
    const { findings } = await scanInventories([asset], source);
    const got = new Set(findings.flatMap((f) => [f.vulnerability.id, ...f.vulnerability.aliases]));
    const expected = q.vulns ?? [];
    const expectedSet = new Set(expected);
    const present = await getPresentIds(source, q.package.ecosystem, q.package.name);
    const s = stats.get(q.package.ecosystem) ?? {
      queries: 0,
      expected: 0,
      found: 0,
      inData: 0,
      foundInData: 0,
      extra: 0,
    };
    s.queries++;
    s.expected += expected.length;
    for (const id of expected) {
      const found = got.has(id);
      if (found) s.found++;
      if (!present.has(id)) continue;
      s.inData++;
      if (found) s.foundInData++;
      else missing.push(`${q.package.ecosystem} ${q.package.name}@${q.version} ${id}`);
    }
    for (const f of findings) {
      if ([f.vulnerability.id, ...f.vulnerability.aliases].some((id) => expectedSet.has(id))) continue;
      s.extra++;
      extras.push(
        `${q.package.ecosystem} ${q.package.name}@${q.version} ${f.vulnerability.id} (fixed ${f.fixedVersions.join(', ') || 'none'})`,
      );
    }
    stats.set(q.package.ecosystem, s);
  }
  const lines = [
    '| ecosystem | queries | IDs osv.dev returned | found by patchcast | of those IDs, records in ../osv | found of those | extra IDs patchcast reports |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [k, s] of [...stats].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(
      `| ${k} | ${s.queries} | ${s.expected} | ${s.found} | ${s.inData} | ${s.foundInData} | ${s.extra} |`,
    );
  }
  if (missing.length > 0)
    lines.push(
      '',
      'Named in ../osv for the package and release, but not found:',
      '',
      ...missing.map((m) => `- ${m}`),
    );
  if (extras.length > 0)
    lines.push('', 'Reported by patchcast, not by osv.dev:', '', ...extras.map((m) => `- ${m}`));
  return lines.join('\n');
}

function replaceBlock(doc: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const at = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (at < 0 || to < at) return `${doc.trimEnd()}\n\n${start}\n${body}\n${end}\n`;
  return `${doc.slice(0, at + start.length)}\n${body}\n${doc.slice(to)}`;
}

const source = await loadSources(DISTROS);
const { rows } = await checkFleet(source);
for (const r of rows)
  console.log(
    `${r.name.padEnd(52)} ${r.ecosystem.padEnd(18)} ${String(r.findings).padStart(5)} findings, ${String(r.withFix).padStart(5)} with fix, ${String(r.unfixed).padStart(4)} unfixed`,
  );
let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Matching on real data\n';
doc = replaceBlock(doc, 'fleet-table', renderFleetTable(rows));
doc = replaceBlock(doc, 'fleet-by-release', renderByRelease(rows));
const querybatch = await checkQuerybatch();
if (querybatch) {
  console.log(querybatch);
  doc = replaceBlock(doc, 'querybatch', querybatch);
}
writeFileSync(DOC, doc);
console.log(`wrote ${DOC}`);
