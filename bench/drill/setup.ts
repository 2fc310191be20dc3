/** A drill's world: the demo packages, N overlay test hosts, a fresh PostgreSQL schema, the CLI fed. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPatchcast } from '../../test/support/cli.js';
import { buildDemoDebs, PCDEMO, PCDEMO_LIB } from '../../test/support/debs.js';
import { TEST_PG_URL } from '../../test/support/postgres.js';
import { makeTestHost, type TestHost } from '../../test/support/test-hosts.js';
import { makeAgentReport, makeDrillConfig, makeOsvRecord } from './fixtures.js';

export interface DrillHost {
  host: TestHost;
  pkg: string;
  base: string;
  target: string;
  expected: 'succeeded' | 'rolled-back';
}

export interface DrillWorld {
  dir: string;
  hosts: DrillHost[];
  schema: string;
  /** The schema's URL, with an application_name that marks the drill's own connections. */
  url: string;
  applicationName: string;
  env: Record<string, string>;
  cli(...args: string[]): string;
}

/**
 * Even hosts start at pcdemo-lib 1.0-1 (fix 1.0-2 is good), odd ones at pcdemo 1.0-1 (target 1.0-4
 * breaks the health probe: those jobs must roll back). Host 0 is the canary.
 */
export async function makeDrillWorld(dir: string, count: number): Promise<DrillWorld> {
  const repo = await buildDemoDebs(join(dir, 'repo'));
  const hosts: DrillHost[] = [];
  const suffix = randomBytes(3).toString('hex');
  const schema = `pc_drill_${process.pid}_${suffix}`;
  const applicationName = `patchcast_drill_${suffix}`;
  const url = new URL(TEST_PG_URL);
  url.searchParams.set('schema', schema);
  url.searchParams.set('application_name', applicationName);
  const env = { PATCHCAST_DATABASE_URL: url.toString(), PATCHCAST_HOME: join(dir, 'store') };
  const world: DrillWorld = {
    dir,
    hosts,
    schema,
    url: url.toString(),
    applicationName,
    env,
    cli: (...args) => {
      const result = runPatchcast(args, { cwd: dir, env });
      if (result.code !== 0)
        throw new Error(
          `patchcast ${args.join(' ')} exited ${result.code}:\n${result.stderr}\n${result.stdout}`,
        );
      return result.stdout;
    },
  };
  for (let i = 0; i < count; i++) {
    const lib = i % 2 === 0;
    const hostname = `drill-${i}`;
    mkdirSync(join(dir, 'hosts', hostname), { recursive: true });
    const host = await makeTestHost({ dir: join(dir, 'hosts', hostname), repo: repo.dir, hostname });
    const pkg = lib ? PCDEMO_LIB.name : PCDEMO.name;
    hosts.push({
      host,
      pkg,
      base: lib ? PCDEMO_LIB.base : PCDEMO.base,
      target: lib ? PCDEMO_LIB.fix : PCDEMO.brokenHealth,
      expected: lib ? 'succeeded' : 'rolled-back',
    });
    for (const argv of [
      ['apt-get', ...host.aptOptions, 'update'],
      ['apt-get', ...host.aptOptions, 'install', '-y', `${pkg}=1.0-1`],
    ]) {
      const r = await host.run(argv);
      if (r.code !== 0) throw new Error(`${hostname}: ${argv.join(' ')}: ${r.stderr}`);
    }
    writeFileSync(
      join(dir, `${hostname}.agent-report.json`),
      makeAgentReport(hostname, [{ name: pkg, version: '1.0-1' }]),
    );
  }
  mkdirSync(join(dir, 'advisories'));
  writeFileSync(
    join(dir, 'advisories', 'PCDEMO-2026-0001.json'),
    makeOsvRecord('PCDEMO-2026-0001', PCDEMO_LIB.name, PCDEMO_LIB.fix),
  );
  writeFileSync(
    join(dir, 'advisories', 'PCDEMO-2026-0002.json'),
    makeOsvRecord('PCDEMO-2026-0002', PCDEMO.name, PCDEMO.brokenHealth),
  );
  writeFileSync(
    join(dir, 'patchcast.yaml'),
    makeDrillConfig({
      hosts,
      canary: 'drill-0',
      probeHosts: hosts.filter((h) => h.pkg === PCDEMO.name).map((h) => h.host.hostname),
    }),
  );
  return world;
}

/** Inventory, advisories, plan, and `rollout start --approve --now`: every job released to start now. */
export function startRollout(world: DrillWorld): void {
  world.cli('inventory', 'import', ...world.hosts.map((h) => `${h.host.hostname}.agent-report.json`));
  world.cli('sync', 'osv', '--from', 'advisories');
  const plan = JSON.parse(world.cli('plan', '--horizon', '1d', '--json')) as {
    assignments: Array<{ assetId: string }>;
  };
  const planned = new Set(plan.assignments.map((a) => a.assetId));
  const missing = world.hosts.filter((h) => !planned.has(h.host.hostname));
  if (missing.length > 0)
    throw new Error(`the plan left out ${missing.map((h) => h.host.hostname).join(', ')}`);
  world.cli('rollout', 'start', '--approve', '--now');
}
