/**
 * What a job asks of its host, resolved from the stored job (its packages), the config's `rollout`
 * section (how the host is reached, its probes and hooks) and its ring (rehearsal). Pure.
 */
import { type Config, getDurationMinutes } from '../config/index.js';
import { PatchcastError } from '../core/errors.js';
import type { Asset, Job } from '../core/types.js';
import type { JobSpec, PackageManagerName, PackageTarget, Probe } from './contract.js';

type RolloutConfig = Config['rollout'];
export type HostEntry = RolloutConfig['hosts'][number];
type Select = HostEntry['select'];

/** Every list given must match: asset ids, any of the tags, the environment. No selector: all assets. */
export function matchesSelect(select: Select, asset: Pick<Asset, 'id' | 'tags' | 'environment'>): boolean {
  if (!select) return true;
  if (select.assets && !select.assets.includes(asset.id)) return false;
  if (select.tags && !select.tags.some((t) => asset.tags.includes(t))) return false;
  if (select.environments && !(asset.environment && select.environments.includes(asset.environment)))
    return false;
  return true;
}

/** The host entry for an asset; an asset no entry matches is reached through its own agent. */
export function getHostEntry(config: Config, asset: Pick<Asset, 'id' | 'tags' | 'environment'>): HostEntry {
  return config.rollout.hosts.find((h) => matchesSelect(h.select, asset)) ?? { executor: 'agent' };
}

/** The package manager of an OSV ecosystem such as `Debian:12`, `Alpine:v3.20` or `Rocky Linux:9`. */
export function getManagerOfEcosystem(ecosystem: string | undefined): PackageManagerName | undefined {
  const name = (ecosystem ?? '').split(':')[0]?.toLowerCase() ?? '';
  if (name === 'debian' || name === 'ubuntu') return 'apt';
  if (name === 'alpine') return 'apk';
  if (/^(red hat|redhat|rocky linux|almalinux|alma linux|fedora|centos|oracle linux|amazon linux)/.test(name))
    return 'dnf';
  return undefined;
}

/** A job's package targets from its payload (`name@version`); a package without a version is refused. */
export function getJobTargets(job: Pick<Job, 'id' | 'payload'>): PackageTarget[] {
  const packages = job.payload?.packages;
  if (!Array.isArray(packages) || packages.length === 0)
    throw new PatchcastError('INPUT_INVALID', `job ${job.id} names no packages`, {
      details: { jobId: job.id },
    });
  return packages.map((p) => {
    const text = String(p);
    const at = text.lastIndexOf('@');
    if (at <= 0 || at === text.length - 1)
      throw new PatchcastError(
        'INPUT_INVALID',
        `job ${job.id}: package ${text} has no target version; patchcast installs exact versions only`,
        {
          hint: 'Re-plan after a sync that knows the fixed version.',
          details: { jobId: job.id, package: text },
        },
      );
    return { name: text.slice(0, at), version: text.slice(at + 1) };
  });
}

function getProbes(config: Config, asset: Asset): Probe[] {
  return config.rollout.probes
    .filter((p) => matchesSelect(p.select, asset))
    .map((p, i): Probe => {
      const name = p.name ?? `probe-${i + 1}`;
      const timeoutMs = Math.round(getDurationMinutes(p.timeout) * 60_000);
      if (p.http)
        return {
          kind: 'http',
          name,
          url: p.http.url,
          status: p.http.status,
          ...(p.http.bodyIncludes !== undefined ? { bodyIncludes: p.http.bodyIncludes } : {}),
          timeoutMs,
        };
      if (p.tcp) return { kind: 'tcp', name, host: p.tcp.host, port: p.tcp.port, timeoutMs };
      return { kind: 'command', name, argv: p.command ?? [], timeoutMs };
    });
}

/** The job's spec on its host. */
export function makeJobSpec(job: Job, asset: Asset, config: Config): JobSpec {
  const entry = getHostEntry(config, asset);
  const manager = entry.manager ?? getManagerOfEcosystem(asset.osEcosystem);
  if (!manager)
    throw new PatchcastError(
      'INPUT_INVALID',
      `asset ${asset.id}: no package manager for its OS (${asset.osEcosystem ?? 'unknown'})`,
      {
        hint: 'Set `manager` (apt, dnf or apk) on its entry under rollout.hosts in patchcast.yaml.',
        details: { assetId: asset.id },
      },
    );
  const ringId = typeof job.payload?.ring === 'string' ? job.payload.ring : undefined;
  const ring = config.rings.find((r) => r.id === ringId);
  const hooks = config.rollout.hooks.filter((h) => matchesSelect(h.select, asset));
  return {
    jobId: job.id,
    assetId: asset.id,
    manager,
    targets: getJobTargets(job),
    allow: { ...config.rollout.allow },
    rehearsal: ring?.rehearsal ?? ring?.approval === 'required',
    hooks: { pre: hooks.flatMap((h) => h.pre), post: hooks.flatMap((h) => h.post) },
    probes: getProbes(config, asset),
    reboot: config.rollout.reboot,
    restartServices: config.rollout.restartServices,
    refresh: config.rollout.refresh,
  };
}
