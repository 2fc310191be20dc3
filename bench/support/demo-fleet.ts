/**
 * A reproducible demo fleet built from real image inventories (`shared/data/fleet/*.json`): each host
 * takes a base image, drifts some packages to older or newer versions seen for the same package in
 * the same distribution release, is padded to a full host's package count, and may carry language
 * packages. Used by `bench/matching.ts` and meant for `patchcast demo fleet --hosts N --seed S`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { getOrCreate } from '../../src/core/collections.js';
import type { InstalledPackage } from '../../src/core/types.js';
import { AGENT_REPORT_SCHEMA } from '../../src/inventory/agent-report/index.js';
import { getVersionScheme } from '../../src/versioning/index.js';

export interface DemoFleetOptions {
  hosts: number;
  seed: number;
  /** A directory of fleet inventories (`{image, tag, os, packages}` JSON files). */
  fleetDir: string;
  /** OS packages per host, ±10 % (default 1,500). */
  packagesPerHost?: number;
  /** Language packages to draw from (e.g. names and versions taken from advisories, so some match). */
  languagePool?: readonly InstalledPackage[];
  /** Share of hosts that carry language packages (default 0.3), 100–400 each. */
  languageShare?: number;
  collectedAt?: string;
}

export interface DemoReportPackage {
  name: string;
  version: string;
  ecosystem: string;
  source?: string;
  sourceVersion?: string;
}

/** An agent report (`patchcast.agent-report/1`, see agent-report/readme.md). */
export interface DemoAgentReport {
  schema: typeof AGENT_REPORT_SCHEMA;
  host: { hostname: string; id: string };
  os: { id: string; version_id: string };
  collectedAt: string;
  packages: DemoReportPackage[];
}

const fleetPackage = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  ecosystem: z.string().min(1),
  source_name: z.string().min(1).optional(),
  source_version: z.string().min(1).optional(),
});
const fleetFile = z.object({
  os: z.object({ id: z.string(), version_id: z.string() }),
  packages: z.array(fleetPackage).min(1),
});
type FleetFile = z.infer<typeof fleetFile>;

/** Versions seen for one package name in one release, ascending, with their source package. */
type VersionPool = Map<string, DemoReportPackage[]>;

const DRIFT_OLDER = 0.15;
const DRIFT_NEWER = 0.15;
const POOL_SHARE = 0.5;
/** Real distributions ship many binaries per source (`-dev`, `-doc`, …); padding names them so. */
const PAD_SUFFIXES = ['-dev', '-doc', '-dbg', '-common', '-data', '-bin', '-utils', '-tools', '-examples'];

/** A small seeded PRNG (mulberry32): the same seed gives the same fleet on every machine. */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reads the fleet inventories of a directory, sorted by file name so a seed means one fleet. */
export function loadFleetImages(fleetDir: string): FleetFile[] {
  const names = readdirSync(fleetDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return names.map((name) => fleetFile.parse(JSON.parse(readFileSync(join(fleetDir, name), 'utf8'))));
}

/** The hosts of the demo fleet, one at a time: a 10,000-host fleet is never held in memory whole. */
export function* generateFleet(options: DemoFleetOptions): Generator<DemoAgentReport> {
  const images = loadFleetImages(options.fleetDir);
  const pools = makeReleasePools(images);
  const random = makeRandom(options.seed);
  const collectedAt = options.collectedAt ?? '2026-02-28T00:00:00Z';
  for (let i = 0; i < options.hosts; i++) {
    const image = images[Math.floor(random() * images.length)] as FleetFile;
    const hostname = `host-${String(i + 1).padStart(5, '0')}`;
    yield {
      schema: AGENT_REPORT_SCHEMA,
      host: { hostname, id: hostname },
      os: image.os,
      collectedAt,
      packages: makeHostPackages(image, pools, random, options),
    };
  }
}

/** The packages of a report as the store keeps them. */
export function toInstalledPackages(report: DemoAgentReport): InstalledPackage[] {
  return report.packages.map((p) => {
    const pkg: InstalledPackage = { ecosystem: p.ecosystem, name: p.name, version: p.version };
    if (p.source) pkg.sourceName = p.source;
    if (p.sourceVersion) pkg.sourceVersion = p.sourceVersion;
    return pkg;
  });
}

function makeReleasePools(images: readonly FleetFile[]): Map<string, VersionPool> {
  const pools = new Map<string, VersionPool>();
  for (const image of images) {
    for (const p of image.packages) {
      const pool = getOrCreate(pools, p.ecosystem, (): VersionPool => new Map());
      const versions = getOrCreate(pool, p.name, (): DemoReportPackage[] => []);
      if (!versions.some((v) => v.version === p.version)) versions.push(toReportPackage(p));
    }
  }
  for (const [ecosystem, pool] of pools) {
    const scheme = getVersionScheme(ecosystem);
    for (const versions of pool.values())
      versions.sort((a: DemoReportPackage, b: DemoReportPackage) => scheme.compare(a.version, b.version));
  }
  return pools;
}

function toReportPackage(p: FleetFile['packages'][number]): DemoReportPackage {
  const out: DemoReportPackage = { name: p.name, version: p.version, ecosystem: p.ecosystem };
  if (p.source_name) {
    out.source = p.source_name;
    out.sourceVersion = p.source_version ?? p.version;
  }
  return out;
}

function makeHostPackages(
  image: FleetFile,
  pools: Map<string, VersionPool>,
  random: () => number,
  options: DemoFleetOptions,
): DemoReportPackage[] {
  const ecosystem = image.packages[0]?.ecosystem ?? '';
  const pool = pools.get(ecosystem) ?? new Map();
  const byName = new Map<string, DemoReportPackage>();
  for (const p of image.packages) byName.set(p.name, drift(toReportPackage(p), pool, random));
  for (const [name, versions] of pool) {
    if (byName.has(name) || random() >= POOL_SHARE) continue;
    byName.set(name, versions[Math.floor(random() * versions.length)] as DemoReportPackage);
  }
  const target = Math.round((options.packagesPerHost ?? 1500) * (0.9 + random() * 0.2));
  const packages = [...byName.values()];
  packages.push(...makePadding(packages, target - packages.length));
  packages.push(...pickLanguagePackages(random, options));
  return packages;
}

/** With some probability, an older or newer version seen for the same package in the same release. */
function drift(pkg: DemoReportPackage, pool: VersionPool, random: () => number): DemoReportPackage {
  const versions = pool.get(pkg.name) ?? [];
  const at = versions.findIndex((v) => v.version === pkg.version);
  const roll = random();
  if (at > 0 && roll < DRIFT_OLDER) return versions[Math.floor(random() * at)] as DemoReportPackage;
  const newer = versions.length - at - 1;
  if (at >= 0 && newer > 0 && roll >= DRIFT_OLDER && roll < DRIFT_OLDER + DRIFT_NEWER)
    return versions[at + 1 + Math.floor(random() * newer)] as DemoReportPackage;
  return pkg;
}

/**
 * Filler packages named after the host's own (`openssl` → `openssl-doc`), until the host has `count`
 * more. Each is its own source package, so no advisory names it: they stand for the many packages of
 * a full host that never had an advisory. They cost the scan, not findings (sharing the real source
 * would multiply every finding of a 15-package Alpine image a hundredfold).
 */
function makePadding(real: readonly DemoReportPackage[], count: number): DemoReportPackage[] {
  const out: DemoReportPackage[] = [];
  for (let i = 0; i < count && real.length > 0; i++) {
    const base = real[i % real.length] as DemoReportPackage;
    const round = Math.floor(i / real.length);
    const suffix = PAD_SUFFIXES[round] ?? `-extra${round}`;
    const name = `${base.name}${suffix}`;
    out.push({
      name,
      version: base.version,
      ecosystem: base.ecosystem,
      source: name,
      sourceVersion: base.version,
    });
  }
  return out;
}

function pickLanguagePackages(random: () => number, options: DemoFleetOptions): DemoReportPackage[] {
  const pool = options.languagePool ?? [];
  if (pool.length === 0 || random() >= (options.languageShare ?? 0.3)) return [];
  const count = 100 + Math.floor(random() * 301);
  const picked = new Map<string, DemoReportPackage>();
  for (let i = 0; i < count; i++) {
    const p = pool[Math.floor(random() * pool.length)] as InstalledPackage;
    picked.set(`${p.ecosystem}\0${p.name}`, { name: p.name, version: p.version, ecosystem: p.ecosystem });
  }
  return [...picked.values()];
}
