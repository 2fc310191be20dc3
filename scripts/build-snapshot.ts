/**
 * Rebuilds data/snapshot/: the small, real snapshot patchcast ships so that `npm start` works offline
 * on a fresh machine. Everything is trimmed from ../shared/data (real public data; sources and dates
 * in data/snapshot/README.md):
 *   - the demo fleet: eight real image inventories from ../shared/data/fleet, renamed as hosts, plus an
 *     asset registry giving them business context;
 *   - OSV advisories (osv/<Ecosystem>/all.zip) naming the demo fleet's packages;
 *   - the CVE records, exploit signals and EPSS scores of those advisories' CVEs, and the whole KEV catalog.
 *   - the whole Debian advisory history (DSA/DLA with regression links) for the patch-reliability model.
 * Run: npx tsx scripts/build-snapshot.ts [--shared ../shared/data]
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip, gunzipSync, gzipSync } from 'node:zlib';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { getPackageLookupKey } from '../src/core/package-name.js';
import { getEffectivePackage } from '../src/matching/effective-package.js';

const shared = process.argv.includes('--shared')
  ? (process.argv[process.argv.indexOf('--shared') + 1] as string)
  : new URL('../../shared/data', import.meta.url).pathname;
const out = new URL('../data/snapshot/', import.meta.url).pathname;

/** The storefront's two web servers: alike but for their image and the canary tag. */
const SHOP_WEB = {
  env: 'production',
  criticality: 'high',
  internet: 'yes',
  data: 'internal',
  owner: 'team-web',
  services: 'storefront',
  window: 'weekly-tuesday',
} as const;

/** The demo fleet: host name, fleet file, and its place in the business. */
const DEMO = [
  { host: 'shop-web-01', file: 'nginx_1.13.8_2017-12-27.json', tags: 'linux;canary', ...SHOP_WEB },
  { host: 'shop-web-02', file: 'nginx_1.12.2_2017-12-13.json', tags: 'linux', ...SHOP_WEB },
  {
    host: 'orders-db-01',
    file: 'postgres_10.1_2018-01-11.json',
    env: 'production',
    criticality: 'critical',
    internet: 'no',
    data: 'restricted',
    owner: 'team-data',
    services: 'checkout',
    tags: 'pci;postgres',
    window: 'weekly-tuesday',
  },
  {
    host: 'cache-01',
    file: 'redis_4.0.7_2018-01-26.json',
    env: 'production',
    criticality: 'medium',
    internet: 'no',
    data: 'internal',
    owner: 'team-data',
    services: 'checkout',
    tags: 'linux',
    window: 'weekly-tuesday',
  },
  {
    host: 'blog-01',
    file: 'wordpress_4.9.2-apache_2018-01-20.json',
    env: 'production',
    criticality: 'low',
    internet: 'yes',
    data: 'public',
    owner: 'team-marketing',
    services: 'blog',
    tags: 'linux',
    window: 'weekly-tuesday',
  },
  {
    host: 'ci-runner-01',
    file: 'golang_1.9.3-stretch_2018-01-27.json',
    env: 'staging',
    criticality: 'medium',
    internet: 'no',
    data: 'internal',
    owner: 'team-platform',
    services: 'ci',
    tags: 'linux;canary',
    window: 'weekly-tuesday',
  },
  {
    host: 'bastion-01',
    file: 'ubuntu_jammy-20220801_2022-08-01.json',
    env: 'production',
    criticality: 'high',
    internet: 'yes',
    data: 'confidential',
    owner: 'team-platform',
    services: 'access',
    tags: 'linux',
    window: 'weekly-tuesday',
  },
  {
    host: 'edge-proxy-01',
    file: 'alpine_3.16.9_2024-01-26.json',
    env: 'production',
    criticality: 'high',
    internet: 'yes',
    data: 'internal',
    owner: 'team-platform',
    services: 'storefront',
    tags: 'alpine',
    window: 'weekly-tuesday',
  },
] as const;

interface FleetFile {
  os: { id: string; version_id: string };
  as_of: string;
  packages: Array<{
    name: string;
    version: string;
    ecosystem: string;
    source_name?: string;
    source_version?: string;
    arch?: string;
  }>;
}

async function main(): Promise<void> {
  if (!existsSync(shared)) throw new Error(`${shared} is absent: the snapshot is built from ../shared/data`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'fleet'), { recursive: true });
  const wanted = new Set<string>();
  for (const d of DEMO) {
    const fleet = JSON.parse(readFileSync(join(shared, 'fleet', d.file), 'utf8')) as FleetFile;
    const packages = fleet.packages.map((p) => {
      const pkg: Record<string, string> = { name: p.name, version: p.version, ecosystem: p.ecosystem };
      if (p.arch) pkg.arch = p.arch;
      if (p.source_name) pkg.source = p.source_name;
      if (p.source_version) pkg.sourceVersion = p.source_version;
      const effective = getEffectivePackage({
        ecosystem: p.ecosystem,
        name: p.name,
        version: p.version,
        ...(p.source_name ? { sourceName: p.source_name } : {}),
      });
      wanted.add(getPackageLookupKey(effective.ecosystem, effective.name));
      return pkg;
    });
    const report = {
      schema: 'patchcast.agent-report/1',
      host: { hostname: d.host },
      os: fleet.os,
      collectedAt: fleet.as_of,
      packages,
    };
    writeFileSync(join(out, 'fleet', `${d.host}.json`), `${JSON.stringify(report, null, 1)}\n`);
  }
  const header =
    'hostname,kind,environment,criticality,internet_exposed,data_classification,owner,services,tags,window_group';
  const rows = DEMO.map((d) =>
    [d.host, 'host', d.env, d.criticality, d.internet, d.data, d.owner, d.services, d.tags, d.window].join(
      ',',
    ),
  );
  writeFileSync(join(out, 'assets.csv'), `${[header, ...rows].join('\n')}\n`);

  const cves = new Set<string>();
  for (const eco of ['Debian', 'Ubuntu', 'Alpine']) await trimOsv(eco, wanted, cves);
  const kev = JSON.parse(readFileSync(join(shared, 'kev.json'), 'utf8')) as {
    vulnerabilities: Array<{ cveID: string }>;
  };
  for (const v of kev.vulnerabilities) cves.add(v.cveID);
  writeFileSync(join(out, 'kev.json'), readFileSync(join(shared, 'kev.json')));
  // Whole, not trimmed: the reliability model's features read a package's and its release's history.
  const advisories = 'debian_security_advisories.jsonl.gz';
  writeFileSync(join(out, advisories), readFileSync(join(shared, advisories)));
  await trimLines('cves.jsonl.gz', (row) => cves.has(row.cve as string));
  await trimLines('exploits.jsonl.gz', (row) => cves.has(row.cve as string));
  trimEpss(cves);
  console.log(`snapshot written to ${out}: ${DEMO.length} hosts, ${cves.size} CVEs`);
}

/** Copies the OSV records of one ecosystem that name a demo package into osv/<Ecosystem>/all.zip. */
async function trimOsv(ecosystem: string, wanted: Set<string>, cves: Set<string>): Promise<void> {
  const zipOut = new yazl.ZipFile();
  mkdirSync(join(out, 'osv', ecosystem), { recursive: true });
  const done = new Promise<void>((resolve) =>
    zipOut.outputStream.pipe(createWriteStream(join(out, 'osv', ecosystem, 'all.zip'))).on('close', resolve),
  );
  let kept = 0;
  for await (const [name, text] of readZip(join(shared, 'osv', ecosystem, 'all.zip'))) {
    const record = JSON.parse(text) as {
      aliases?: string[];
      upstream?: string[];
      affected?: Array<{ package?: { ecosystem: string; name: string } }>;
    };
    const hit = (record.affected ?? []).some(
      (a) => a.package && wanted.has(getPackageLookupKey(a.package.ecosystem, a.package.name)),
    );
    if (!hit) continue;
    kept++;
    for (const id of [...(record.aliases ?? []), ...(record.upstream ?? [])])
      if (id.startsWith('CVE-')) cves.add(id);
    zipOut.addBuffer(Buffer.from(text), name, { mtime: new Date('2026-03-01T00:00:00Z') });
  }
  zipOut.end();
  await done;
  console.log(`osv/${ecosystem}: ${kept} records`);
}

async function* readZip(path: string): AsyncGenerator<[string, string]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (e, z) => (e ? reject(e) : resolve(z))),
  );
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.readEntry();
  });
  for (const entry of entries) {
    if (!entry.fileName.endsWith('.json')) continue;
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      zip.openReadStream(entry, (e, s) => (e ? reject(e) : resolve(s))),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    yield [entry.fileName, Buffer.concat(chunks).toString('utf8')];
  }
  zip.close();
}

async function trimLines(file: string, keep: (row: Record<string, unknown>) => boolean): Promise<void> {
  const lines: string[] = [];
  const input = createInterface({
    input: createReadStream(join(shared, file)).pipe(createGunzip()),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of input) if (line && keep(JSON.parse(line))) lines.push(line);
  writeFileSync(join(out, file), gzipSync(`${lines.join('\n')}\n`));
  console.log(`${file}: ${lines.length} rows`);
}

function trimEpss(cves: Set<string>): void {
  for (const file of ['epss_scores-2026-01-30.csv.gz']) {
    const text = gunzipSync(readFileSync(join(shared, file))).toString('utf8');
    const lines = text.split('\n');
    const kept = lines.filter((l, i) => i < 2 || cves.has(l.split(',')[0] ?? ''));
    writeFileSync(join(out, file), gzipSync(`${kept.join('\n')}\n`));
    console.log(`${file}: ${kept.length - 2} rows`);
  }
}

await main();
