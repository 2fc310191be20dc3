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
