import type { PlanInput } from '../problem.js';
import type { PlanAsset, PlanFinding, WindowConfig } from '../types.js';

/** Mulberry32: a small seeded PRNG so fleets are reproducible. */
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

const PACKAGES = ['openssl', 'curl', 'libxml2', 'linux-image-amd64', 'nginx', 'python3', 'zlib1g', 'sudo', 'glibc', 'git'];

/** A synthetic fleet: groups with their own windows, service tiers, 6 rings, freezes, heavy-tailed risk. */
export function makeSyntheticFleet(options: { hosts: number; seed: number; groups?: number; windowsPerGroup?: number; now?: Date }): PlanInput {
  const random = makeRandom(options.seed);
  const now = options.now ?? new Date('2026-12-01T00:00:00Z');
  const groupCount = options.groups ?? 6;
  const perGroup = options.windowsPerGroup ?? 10;
  const windows: WindowConfig[] = [];
  for (let g = 0; g < groupCount; g++) {
    // perGroup windows over 30 days per group: every 3 days at a group-specific hour.
    const days = Array.from({ length: 31 }, (_, d) => d + 1).filter((d) => d % Math.max(1, Math.floor(30 / perGroup)) === g % 3);
    windows.push({
      id: `w-g${g}`,
      groups: [`g${g}`],
      cron: `0 ${(g * 3) % 24} ${days.join(',')} * *`,
      timezone: 'UTC',
      duration: '4h',
      cutoff: '30m',
      durationMinutes: 240,
      cutoffMinutes: 30,
      maxConcurrentHosts: Math.max(4, Math.ceil(options.hosts / groupCount / 5)),
    });
  }
  const assets: PlanAsset[] = [];
  const findings: PlanFinding[] = [];
  const environments = ['dev', 'staging', 'prod'];
  for (let i = 0; i < options.hosts; i++) {
    const id = `h${String(i).padStart(5, '0')}`;
    const env = environments[Math.floor(random() * 3)] ?? 'prod';
    assets.push({
      id,
      windowGroup: `g${Math.floor(random() * groupCount)}`,
      tags: random() < 0.02 ? ['canary'] : [],
      environment: env,
      services: random() < 0.6 ? [`svc${Math.floor(random() * Math.max(1, options.hosts / 8))}`] : [],
    });
    const count = 1 + Math.floor(random() * 4);
    for (let k = 0; k < count; k++) {
      const risk = Math.exp(-4 + 3 * random() * random() * 2);
      findings.push({
        id: `${id}-f${k}`,
        assetId: id,
        packageName: PACKAGES[Math.floor(random() * PACKAGES.length)] ?? 'curl',
        targetVersion: `1.${k}.0`,
        risk,
        dueDate: new Date(now.getTime() + (7 + Math.floor(random() * 60)) * 86_400_000).toISOString(),
      });
    }
  }
  return {
    now,
    horizonDays: 30,
    assets,
    findings,
    windows,
    freezes: [{ id: 'year-end', start: '2026-12-22', end: '2026-12-23' }],
    rings: [
      { id: 'canary', select: { tags: ['canary'] }, soakMinutes: 12 * 60 },
      { id: 'dev', select: { environments: ['dev'], percent: 50 }, soakMinutes: 12 * 60 },
      { id: 'pilot', select: { environments: ['dev', 'staging'] }, soakMinutes: 24 * 60 },
      { id: 'early', select: { environments: ['prod'], percent: 10 }, soakMinutes: 24 * 60 },
      { id: 'broad', select: { environments: ['prod'], percent: 80 }, soakMinutes: 24 * 60 },
      { id: 'critical', soakMinutes: 0 },
    ],
  };
}

/** Draws a standard normal (Box–Muller). */
function makeNormal(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

const SLA_DAYS = { critical: 15, high: 30, medium: 90, low: 180 } as const;

/**
 * The benchmark fleet (see bench/planning.ts for why each choice is realistic): dev/staging/prod,
 * 6 team window groups × 10 four-hour night windows over 30 days, services of 3–8 replicas inside
 * one team, database-before-application dependencies, a year-end freeze and a team freeze,
 * 6 rings. Risk is heavy-tailed (lognormal EPSS-like base, rare KEV findings, internet-facing
 * ×3); SLA due dates come from CVSS severity and the finding's age, not from risk.
 * `capacityFactor` scales each window's host limit (1 = fleet fits about 1.5× over the horizon).
 */
export function makeBenchFleet(options: { hosts: number; seed: number; capacityFactor?: number }): PlanInput {
  const random = makeRandom(options.seed);
  const normal = makeNormal(random);
  const now = new Date('2026-12-01T00:00:00Z');
  const groups = 6;
  const perGroup = options.hosts / groups;
  const capacity = Math.max(2, Math.round((perGroup * 4 * (options.capacityFactor ?? 1)) / 10));
  const windows: WindowConfig[] = Array.from({ length: groups }, (_, g) => ({
    id: `w-team${g}`,
    groups: [`team${g}`],
    cron: `0 ${[22, 0, 2, 23, 1, 3][g] ?? 0} ${Array.from({ length: 10 }, (_, k) => 1 + (g % 3) + 3 * k).join(',')} * *`,
    timezone: 'UTC',
    duration: '4h',
    cutoff: '30m',
    durationMinutes: 240,
    cutoffMinutes: 30,
    maxConcurrentHosts: capacity,
  }));
  const assets: PlanAsset[] = [];
  const findings: PlanFinding[] = [];
  const dependencies: Array<[string, string]> = [];
  const serviceLimits: Record<string, number> = {};
  let i = 0;
  while (i < options.hosts) {
    const environment = random() < 0.2 ? 'dev' : random() < 0.19 ? 'staging' : 'prod';
    const team = `team${Math.floor(random() * groups)}`;
    // Replicated services are a production thing; dev and staging hosts stand alone.
    const replicas = environment === 'prod' && random() < 0.6 ? 2 + Math.floor(random() * 5) : 1;
    const service = replicas > 1 ? `svc-${i}` : undefined;
    const internetFacing = environment === 'prod' && random() < 0.12;
    const members: string[] = [];
    for (let r = 0; r < replicas && i < options.hosts; r++, i++) {
      const id = `h${String(i).padStart(5, '0')}`;
      members.push(id);
      assets.push({
        id,
        windowGroup: team,
        tags: random() < 0.01 ? ['canary'] : [],
        environment,
        services: service ? [service] : [],
      });
      addFindings(findings, id, { random, normal, now, internetFacing });
    }
    if (service) serviceLimits[service] = Math.ceil(members.length / 2);
    const [db, app] = members;
    if (db && app && random() < 0.1) dependencies.push([db, app]);
  }
  return {
    now,
    horizonDays: 30,
    assets,
    findings,
    windows,
    freezes: [
      { id: 'year-end', start: '2026-12-22', end: '2026-12-23' },
      { id: 'team2-release', start: '2026-12-18', end: '2026-12-18', groups: ['team2'] },
    ],
    rings: [
      { id: 'canary', select: { tags: ['canary'] }, soakMinutes: 12 * 60 },
      { id: 'dev', select: { environments: ['dev'] }, soakMinutes: 12 * 60 },
      { id: 'staging', select: { environments: ['staging'] }, soakMinutes: 12 * 60 },
      { id: 'prod-pilot', select: { environments: ['prod'], percent: 10 }, soakMinutes: 24 * 60 },
      { id: 'prod-broad', select: { environments: ['prod'], percent: 90 }, soakMinutes: 24 * 60 },
      { id: 'prod-last', soakMinutes: 0 },
    ],
    dependencies,
    serviceLimits,
  };
}

function addFindings(
  findings: PlanFinding[],
  assetId: string,
  { random, normal, now, internetFacing }: { random: () => number; normal: () => number; now: Date; internetFacing: boolean },
): void {
  const count = 1 + Math.floor(-Math.log(1 - random()) * 3);
  for (let k = 0; k < count; k++) {
    const kev = random() < 0.015;
    // EPSS-like: most findings are very unlikely to be exploited; a KEV listing means they are.
    let risk = Math.exp(-4.5 + 1.3 * normal()) + (kev ? 3 + 7 * random() : 0);
    if (internetFacing) risk *= 3;
    const cvss = kev ? 7 + 3 * random() : Math.min(10, Math.max(1, 6 + 1.8 * normal()));
    const severity = cvss >= 9 ? 'critical' : cvss >= 7 ? 'high' : cvss >= 4 ? 'medium' : 'low';
    const ageDays = Math.floor(random() * 120);
    const due = now.getTime() + (SLA_DAYS[severity] - ageDays) * 86_400_000;
    findings.push({
      id: `${assetId}-f${k}`,
      assetId,
      packageName: PACKAGES[Math.floor(random() * PACKAGES.length)] ?? 'curl',
      targetVersion: `1.${k}.0`,
      risk,
      dueDate: new Date(due).toISOString(),
    });
  }
}
