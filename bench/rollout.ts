/**
 * `npm run bench rollout [--agents 250 | --scale] [--wait 10 | --wait 0 --interval 10] [--work 300] [--fail 0.02] [--idle-pause 1000] [--max 900]`
 * (or `npx tsx bench/rollout.ts …`): a rollout at scale on PostgreSQL. Per fleet size, a fresh schema
 * (PATCHCAST_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) holds one Debian
 * asset and one job per simulated agent in a stored plan of four rings — canary (1 %), ring-1..3 (the
 * rest in thirds), each with concurrency 25 % and an error budget of 5 % — started as an approver
 * would. Two `patchcast serve` replicas answer the agents (even agents → A, odd → B); one controller
 * process (bench/support/rollout-controller.ts: `runControllerTick` every `rollout.tick` = 1 s) carries
 * the rollout out; the agents (bench/support/rollout-agent.ts, all in this process) lease with
 * `POST /api/v1/agent/lease {wait}` and report preflight, apply and verify steps; `--fail` of them
 * (never canary) fail verify and roll back, so the gates count failures.
 *
 * Dispatch latency is from the release (the `at` of the tick whose `rollout:changed` event lists the
 * job: its start, so the figure includes the tick's own work) to the moment the agent read the lease
 * response, split into release → tick end (commit), tick end → the server's lease (`job_events`), and
 * lease → agent. Prints the figures per run and, with `--scale` (250, 500, 1,000 agents), a table.
 * Asserts nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { configSchema, normalizeConfig, readConfig } from '../src/config/index.js';
import { createEnrollToken, enrollAgent } from '../src/services/auth/agents.js';
import { silentLogger, systemClock } from '../src/services/deps.js';
import { startRollout } from '../src/services/rollout/control-rollout.js';
import { openStore } from '../src/store/index.js';
import { storePlan } from '../test/support/rollout-plan.js';
import {
  freePort,
  isPostgresUp,
  loadAverage,
  readCpuSeconds,
  readPostgresCpuSeconds,
  startReplica,
  stopChild,
  waitReady,
} from './support/replicas.js';
import { type Dispatch, SimulatedAgent } from './support/rollout-agent.js';
import type { TickLine } from './support/rollout-controller.js';
import { collectFigures, printRun, printTable, type RunFigures } from './support/rollout-figures.js';

const PG_URL = process.env.PATCHCAST_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CONTROLLER = fileURLToPath(new URL('./support/rollout-controller.ts', import.meta.url));
const quick = process.argv.includes('--quick');
const SIZES = process.argv.includes('--scale')
  ? [250, 500, 1000]
  : [numberFlag('--agents', quick ? 100 : 250)];
const WAIT_S = numberFlag('--wait', 10, true);
const INTERVAL_MS = numberFlag('--interval', 10) * 1000;
const WORK_MS = numberFlag('--work', 300, true);
/** The agents' pause after an empty long-poll answer: 1 s, as `patchcast agent run`. */
const IDLE_PAUSE_MS = numberFlag('--idle-pause', 1000, true);
const FAIL = numberFlag('--fail', 0.02, true);
const TICK_MS = numberFlag('--tick', 1000);
/** A run's limit in seconds: then the controller is stopped and the figures are of what was done. */
const MAX_S = numberFlag('--max', 900);
const PACKAGES = ['openssl@3.0.15-1~deb12u1'];
const RINGS = ['canary', 'ring-1', 'ring-2', 'ring-3'];

function numberFlag(name: string, fallback: number, zero = false): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !zero))
    throw new Error(`${name} needs a ${zero ? 'non-negative' : 'positive'} number`);
  return value;
}

/** The ring of host i of n: the first 1 % (at least one) canary, the rest in three equal parts. */
function getRing(i: number, n: number): string {
  const canary = Math.max(1, Math.ceil(n / 100));
  if (i < canary) return 'canary';
  return RINGS[1 + Math.min(2, Math.floor(((i - canary) * 3) / (n - canary)))] as string;
}

/** Whether host i's job fails: every (1/FAIL)-th host outside canary, spread over the rings. */
function isFailing(i: number, n: number): boolean {
  if (FAIL <= 0 || getRing(i, n) === 'canary') return false;
  const every = Math.round(1 / FAIL);
  return i % every === Math.floor(every / 2);
}

function makeConfigText(): string {
  // The plan names each job's ring; the selectors only satisfy the rule that one ring takes the rest.
  const rings = RINGS.map(
    (id, i) =>
      `  - { id: ${id},${i < RINGS.length - 1 ? ` select: { tags: [${id}] },` : ''} concurrency: 25%, errorBudget: 5%, soak: 0m, rehearsal: false }`,
  );
  return ['rings:', ...rings, 'rollout:', `  tick: ${Math.max(1, Math.round(TICK_MS / 1000))}s`].join('\n');
}

async function runOnce(agents: number): Promise<RunFigures> {
  const schema = `pc_bench_rollout_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  const databaseUrl = url.toString();
  const work = mkdtempSync(join(tmpdir(), 'patchcast-bench-rollout-'));
  const configFile = join(work, 'patchcast.yaml');
  writeFileSync(configFile, `${makeConfigText()}\n`);
  const children: ChildProcess[] = [];
  const sims: SimulatedAgent[] = [];
  try {
    const planId = 'bench-plan';
    const credentials = await prepareStore(databaseUrl, configFile, planId, agents);
    const logFile = join(work, 'serve.log');
    const log = openSync(logFile, 'a');
    const ports = await Promise.all([freePort(), freePort()]);
    const replicas = ports.map((port) => startReplica(port, { cwd: work, databaseUrl, configFile, log }));
    children.push(...replicas);
    closeSync(log);
    await Promise.all(
      ports.map((p, i) => waitReady(`http://127.0.0.1:${p}`, replicas[i] as ChildProcess, logFile)),
    );

    const counters = { requests: 0, leases: 0, errors: [] as string[] };
    const dispatches: Dispatch[] = [];
    for (const [i, credential] of credentials.entries())
      sims.push(
        new SimulatedAgent(
          {
            port: ports[i % 2] as number,
            credential,
            wait: WAIT_S,
            intervalMs: INTERVAL_MS,
            workMs: WORK_MS,
            idlePauseMs: IDLE_PAUSE_MS,
            fails: isFailing(i, agents),
          },
          counters,
          (d) => dispatches.push(d),
        ),
      );
    const running = sims.map((s) => s.run());
    // Let every long poll arrive before the first tick releases anything.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const cpuBefore = {
      replicas: replicas.map((r) => readCpuSeconds(r.pid as number)),
      postgres: readPostgresCpuSeconds(),
      self: process.cpuUsage(),
    };
    const startedMs = Date.now();
    const ticks = await runController(configFile, databaseUrl, children);
    const wallMs = Date.now() - startedMs;
    const cpu = {
      seconds: wallMs / 1000,
      replicas: replicas.map((r, i) => readCpuSeconds(r.pid as number) - (cpuBefore.replicas[i] as number)),
      postgres: readPostgresCpuSeconds() - cpuBefore.postgres,
      self: (() => {
        const u = process.cpuUsage(cpuBefore.self);
        return (u.user + u.system) / 1e6;
      })(),
    };
    for (const sim of sims) sim.stop();
    await Promise.all(running);
    return await collectFigures({
      databaseUrl,
      planId,
      agents,
      ticks,
      dispatches,
      wallMs,
      cpu,
      counters,
      logFile,
      failing: credentials.filter((_, i) => isFailing(i, agents)).length,
    });
  } finally {
    for (const sim of sims) sim.stop();
    for (const sim of sims) sim.close();
    await Promise.all(children.map(stopChild));
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The controller child until the rollout is over; its tick lines. */
async function runController(
  configFile: string,
  databaseUrl: string,
  children: ChildProcess[],
): Promise<TickLine[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CONTROLLER, configFile, databaseUrl, String(TICK_MS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  const limit = setTimeout(() => {
    console.log(`  the rollout is not over after ${MAX_S} s (--max): stopping the controller`);
    child.kill('SIGTERM');
  }, MAX_S * 1000);
  const ticks: TickLine[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith('{')) ticks.push(JSON.parse(line) as TickLine);
  }
  const code = await exited;
  clearTimeout(limit);
  if (code !== 0) throw new Error(`the controller exited with ${code}`);
  return ticks;
}

/** Migrates the schema, stores the plan, starts the rollout, enrolls the agents; their credentials. */
async function prepareStore(
  databaseUrl: string,
  configFile: string,
  planId: string,
  agents: number,
): Promise<string[]> {
  const store = await openStore({ databaseUrl });
  try {
    const now = Date.now();
    const lastStart = new Date(now + 3 * 3600_000).toISOString();
    const hosts = Array.from({ length: agents }, (_, i) => `bench-host-${String(i).padStart(5, '0')}`);
    await storePlan(
      store,
      planId,
      hosts.map((assetId, i) => {
        const ring = getRing(i, agents);
        // Rings run in the order of their windows' starts, all already open.
        const start = new Date(now - 3600_000 + RINGS.indexOf(ring) * 60_000).toISOString();
        return { assetId, ring, packages: PACKAGES, start, lastStart };
      }),
      new Date(now).toISOString(),
    );
    const config = readConfig(makeConfigText(), configFile, {});
    const admin = { kind: 'cli', id: 'cli:bench', role: 'admin' } as const;
    const deps = { store, config, clock: systemClock, logger: silentLogger, actor: admin };
    await startRollout(deps, { planId, approve: true });
    const { token } = await createEnrollToken(
      { ...deps, config: normalizeConfig(configSchema.parse({}), null, {}) },
      { uses: agents, expires: '1h' },
    );
    const credentials = new Array<string>(agents);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < agents) {
          const i = next++;
          const id = hosts[i] as string;
          const enrolled = await enrollAgent(store, systemClock, {
            enrollToken: token,
            assetId: id,
            hostname: id,
          });
          credentials[i] = enrolled.credential;
        }
      }),
    );
    return credentials;
  } finally {
    await store.close();
  }
}

if (await isPostgresUp(PG_URL)) {
  console.log(
    `rollout of ${SIZES.join(', ')} agents: 4 rings (canary 1 %, 3 × the rest), concurrency 25 %, error budget 5 %, ` +
      `tick ${TICK_MS} ms; agents ${WAIT_S > 0 ? `long-poll (wait ${WAIT_S} s)` : `poll every ${INTERVAL_MS / 1000} s`}, ` +
      `pause ${IDLE_PAUSE_MS} ms after an empty answer, steps take ${WORK_MS} ms, ${(FAIL * 100).toFixed(1)} % roll back; load average ${loadAverage()}`,
  );
  const runs: RunFigures[] = [];
  for (const agents of SIZES) {
    const figures = await runOnce(agents);
    printRun(figures);
    runs.push(figures);
  }
  printTable(runs);
}
