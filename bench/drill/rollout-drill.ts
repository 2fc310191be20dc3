/**
 * The rollout fault-injection drill (ROLLOUT.md, "How to prove it"): a real rollout on N overlay test
 * hosts, carried out by real controller processes on PostgreSQL, while K faults chosen by a seeded
 * generator strike: a controller SIGKILLs itself at a step boundary (the PATCHCAST_DRILL_KILL_AT
 * hook), a controller is SIGKILLed at a random moment, every lease is made to look expired while a
 * second controller runs (it takes the jobs over under new tokens; the first one's reports must be
 * refused), or the drill's own PostgreSQL connections are terminated (the server itself is never
 * restarted: other sessions use it). Afterwards every host is read and compared with the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type HostVerdict, judgeHost } from './check.js';
import { type ControllerProcess, crashController, spawnController, stopController } from './controllers.js';
import { makePrng, type Prng } from './prng.js';
import { type DrillWorld, makeDrillWorld, startRollout } from './setup.js';
import { openStoreProbe, type StoreProbe } from './store-probe.js';

export type FaultKind = 'kill-at-boundary' | 'kill-random' | 'expire-leases' | 'db-terminate';

export interface Fault {
  kind: FaultKind;
  /** kill-at-boundary: the boundary number; others: a delay in ms before striking. */
  n: number;
  /** Whether the second controller keeps running after this fault. */
  twoControllers: boolean;
  /** How many new job events the store must hold since the previous fault before this one strikes. */
  gap: number;
}

export interface DrillOptions {
  hosts: number;
  faults: number;
  seed: number;
  /** Keep the directory (hosts, logs) for a post-mortem. */
  keep?: boolean;
  /** Give up waiting for the rollout after this long (ms). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface DrillResult {
  hosts: number;
  patched: number;
  rolledBack: number;
  doubleApplies: number;
  lostResults: number;
  faults: number;
  neither: number;
  staleWrites: number;
  takeovers: number;
  unexpected: number;
  rollout: string;
  seed: number;
  faultsPlanned: number;
  faultLog: string[];
  verdicts: HostVerdict[];
  dir?: string;
}

export function planFaults(prng: Prng, count: number): Fault[] {
  const kinds: FaultKind[] = [
    'kill-at-boundary',
    'kill-at-boundary',
    'kill-random',
    'expire-leases',
    'db-terminate',
  ];
  return Array.from({ length: count }, () => {
    const kind = prng.pick(kinds);
    return {
      kind,
      n: kind === 'kill-at-boundary' ? prng.int(1, 18) : prng.int(100, 1500),
      twoControllers: prng.next() < 0.5,
      gap: prng.int(1, 6),
    };
  });
}

export async function runRolloutDrill(options: DrillOptions): Promise<DrillResult> {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'patchcast-drill-'));
  let world: DrillWorld | undefined;
  let probe: StoreProbe | undefined;
  const controllers: ControllerProcess[] = [];
  try {
    log(`drill: ${options.hosts} hosts, ${options.faults} faults, seed ${options.seed}, in ${dir}`);
    world = await makeDrillWorld(dir, options.hosts);
    startRollout(world);
    probe = await openStoreProbe(stripParams(world.url), world.schema);
    const faults = planFaults(makePrng(options.seed), options.faults);
    const faultLog = await driveRollout(world, probe, faults, controllers, options, log);
    const verdicts = await checkHosts(world, probe);
    const result = summarize(
      verdicts,
      faults.length,
      faultLog,
      options.seed,
      (await probe.rolloutStatus()) ?? 'missing',
    );
    return options.keep ? { ...result, dir } : result;
  } finally {
    for (const c of controllers) await crashController(c);
    await probe?.close().catch(() => undefined);
    if (world && !options.keep) {
      for (const h of world.hosts) await h.host.destroy().catch(() => undefined);
      await dropSchema(world.schema).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The URL without the store's own `schema` parameter (the probe sets its search_path itself). */
function stripParams(url: string): string {
  const u = new URL(url);
  u.searchParams.delete('schema');
  u.searchParams.set('application_name', 'patchcast_drill_probe');
  return u.toString();
}

async function dropSchema(schema: string): Promise<void> {
  const { TEST_PG_URL } = await import('../../test/support/postgres.js');
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const AFTER_APPLY_BEGAN = new Set(['apply', 'restart', 'verify', 'rollback']);

async function waitFor(test: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await test()) return true;
    await sleep(50);
  }
  return false;
}

const isOver = (status: string | undefined) => status !== undefined && status !== 'running';

/**
 * Runs controllers until the rollout is over, striking the faults. One controller (the primary) always
 * runs and is replaced when it dies; a second one runs from a lease fault until a later fault says
 * otherwise. The other faults strike in order, each once the store has moved on since the last.
 */
async function driveRollout(
  world: DrillWorld,
  probe: StoreProbe,
  faults: Fault[],
  controllers: ControllerProcess[],
  options: DrillOptions,
  log: (line: string) => void,
): Promise<string[]> {
  const faultLog: string[] = [];
  const done = new Set<number>();
  const pending = (f: (fault: Fault) => boolean) => faults.findIndex((x, i) => !done.has(i) && f(x));
  const start = (role: string, killAt?: number) => {
    const c = spawnController({ dir: world.dir, env: world.env, role, ...(killAt ? { killAt } : {}) });
    controllers.push(c);
    log(`  start ${c.name}${killAt ? ` (SIGKILL at boundary ${killAt})` : ''}`);
    return c;
  };
  // A primary is armed with the next kill-at-boundary fault; that fault is struck when it kills itself.
  const startPrimary = () => {
    const armedFor = pending((f) => f.kind === 'kill-at-boundary');
    return { c: start('primary', armedFor >= 0 ? faults[armedFor]?.n : undefined), armedFor, killed: false };
  };
  let primary = startPrimary();
  let secondary: ControllerProcess | undefined;
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  let events = await probe.countEvents();
  const record = (index: number, line: string) => {
    done.add(index);
    faultLog.push(line);
    log(`  fault ${faultLog.length}: ${line}`);
  };
  const name = (id: string) => id.replace(/^.*-(drill-\d+)$/, '$1');
  while (Date.now() < deadline) {
    if (isOver(await probe.rolloutStatus())) break;
    if (!primary.c.isRunning()) {
      const how = await primary.c.exited;
      if (primary.armedFor >= 0 && !primary.killed && how === 'SIGKILL')
        record(
          primary.armedFor,
          `kill-at-boundary: ${primary.c.name} SIGKILLed itself at boundary ${primary.c.killAt}`,
        );
      else log(`  ${primary.c.name} ended (${how})`);
      primary = startPrimary();
    }
    const index = pending((f) => f.kind !== 'kill-at-boundary');
    const fault = faults[index];
    const now = await probe.countEvents();
    // Faults are spread over the rollout: each waits for the store to move on since the last one.
    if (fault && now >= events + fault.gap) {
      events = now;
      await sleep(fault.n);
      if (fault.kind === 'kill-random') {
        primary.killed = true;
        await crashController(primary.c);
        record(index, `kill-random: ${primary.c.name} SIGKILLed after ${fault.n} ms`);
      } else if (fault.kind === 'expire-leases') {
        if (!secondary?.isRunning()) {
          secondary = start('secondary');
          await sleep(4000);
        }
        // Mid-apply if it can be had: the holder is changing the host when its lease is taken away.
        await waitFor(
          async () => (await probe.leasedJobs()).some((j) => AFTER_APPLY_BEGAN.has(j.step ?? '')),
          20_000,
        );
        const leased = await probe.leasedJobs();
        const expired = await probe.expireLeases();
        const which = leased.map((j) => `${name(j.id)}@${j.step ?? 'leased'}#${j.token}`).join(', ');
        record(index, `expire-leases: ${expired.length} lease(s) expired (${which}) with two controllers`);
      } else {
        const n = await probe.terminateConnections(world.applicationName);
        record(index, `db-terminate: ${n} connection(s) of the drill's controllers terminated`);
      }
      if (!fault.twoControllers && secondary?.isRunning() && fault.kind !== 'expire-leases') {
        await stopController(secondary, 1000);
        log(`  ${secondary.name} stopped`);
      }
    }
    await sleep(250);
  }
  for (const c of controllers) await stopController(c, 30_000);
  return faultLog;
}

async function checkHosts(world: DrillWorld, probe: StoreProbe): Promise<HostVerdict[]> {
  const jobs = await probe.jobs();
  const verdicts: HostVerdict[] = [];
  for (const h of world.hosts) {
    const job = jobs.find((j) => j.assetId === h.host.hostname);
    verdicts.push(
      judgeHost({
        hostname: h.host.hostname,
        pkg: h.pkg,
        base: h.base,
        target: h.target,
        expected: h.expected,
        installed: await h.host.installed(h.pkg),
        dpkgLog: await h.host.dpkgLog(),
        job,
        events: job ? await probe.events(job.id) : [],
      }),
    );
  }
  return verdicts;
}

function summarize(
  verdicts: HostVerdict[],
  faultsPlanned: number,
  faultLog: string[],
  seed: number,
  rollout: string,
): DrillResult {
  const count = (f: (v: HostVerdict) => boolean) => verdicts.filter(f).length;
  return {
    hosts: verdicts.length,
    patched: count((v) => v.patched),
    rolledBack: count((v) => v.rolledBack),
    doubleApplies: verdicts.reduce((n, v) => n + Math.max(0, v.targetInstalls - 1), 0),
    lostResults: count((v) => v.lostResult),
    faults: faultLog.length,
    neither: count((v) => v.neither),
    staleWrites: verdicts.reduce((n, v) => n + v.staleWrites, 0),
    takeovers: verdicts.reduce((n, v) => n + v.takeovers, 0),
    unexpected: count((v) => v.unexpected),
    rollout,
    seed,
    faultsPlanned,
    faultLog,
    verdicts,
  };
}
