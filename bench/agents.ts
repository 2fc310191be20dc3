/**
 * `npm run bench agents [--agents 10000] [--interval 60] [--duration 180] [--after 30] [--quick]`
 * (or `npx tsx bench/agents.ts …`): many enrolled agents polling their jobs against two
 * `patchcast serve` replicas on one PostgreSQL, over real loopback sockets.
 *
 * 1. A fresh schema in PATCHCAST_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 *    migrated, with one synthetic asset per agent and a pending job on every other asset; the schema
 *    is dropped at the end. Agents are enrolled in-process through `enrollAgent` with one multi-use
 *    enrollment token (over HTTP the per-address rate limit would throttle one loopback client).
 * 2. Two replicas (`node bin/patchcast.js serve`, from the sources through tsx) with their logs in a
 *    temporary file. Each agent keeps one keep-alive connection (its own `http.Agent`, one socket) to
 *    one replica (even agents → A, odd → B) and polls `GET /api/v1/agent/jobs` every `interval` s from
 *    a random phase; steady state lasts `duration` s.
 * 3. Reconnect storm: every agent drops its connection and polls at once on a new one; once answered,
 *    each polls again after a random delay within its interval (jitter), then every interval. Reported:
 *    the burst, the `after` s once it drained, and the later polls by 10 s from the storm's start.
 * `--profile DIR` has the replicas write V8 CPU profiles there.
 * Prints latency percentiles, errors, req/s, the CPU seconds of the replicas, PostgreSQL and this
 * process (from /proc), and the load average. Asserts nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { configSchema, normalizeConfig } from '../src/config/index.js';
import { createEnrollToken, enrollAgent } from '../src/services/auth/agents.js';
import { silentLogger, systemClock } from '../src/services/deps.js';
import { enqueueJobs, openStore, upsertAsset } from '../src/store/index.js';
import { freePort, isPostgresUp, loadAverage, stopChild, waitReady } from './support/replicas.js';

const BIN = fileURLToPath(new URL('../bin/patchcast.js', import.meta.url));
const PG_URL = process.env.PATCHCAST_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const quick = process.argv.includes('--quick');
const AGENTS = numberFlag('--agents', quick ? 500 : 10_000);
const INTERVAL_S = numberFlag('--interval', quick ? 30 : 60);
const DURATION_S = numberFlag('--duration', quick ? 30 : 180);
const AFTER_S = numberFlag('--after', 30);
const ENROLL_CONCURRENCY = 16;
/** `--profile DIR`: the replicas write V8 CPU profiles (.cpuprofile) there when they stop. */
const profileAt = process.argv.indexOf('--profile');
const PROFILE_DIR = profileAt > 0 ? process.argv[profileAt + 1] : undefined;

function numberFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
}

interface Sample {
  /** performance.now() when the request was sent. */
  at: number;
  ms: number;
  ok: boolean;
}

const schema = `pc_bench_agents_${process.pid}_${randomBytes(3).toString('hex')}`;
const url = new URL(PG_URL);
url.searchParams.set('schema', schema);
const databaseUrl = url.toString();
const work = mkdtempSync(join(tmpdir(), 'patchcast-bench-agents-'));
const replicas: ChildProcess[] = [];

async function main(): Promise<void> {
  console.log(
    `${AGENTS} agents, poll every ${INTERVAL_S} s, steady ${DURATION_S} s, then a reconnect storm and ${AFTER_S} s after it`,
  );
  console.log(`load average at start: ${loadAverage()}`);
  const credentials = await prepareStore();

  const logFile = join(work, 'serve.log');
  const log = openSync(logFile, 'a');
  const ports = await Promise.all([freePort(), freePort()]);
  const started = performance.now();
  for (const port of ports) replicas.push(startReplica(port, log));
  closeSync(log);
  const origins = ports.map((p) => `http://127.0.0.1:${p}`);
  await Promise.all(origins.map((o, i) => waitReady(o, replicas[i] as ChildProcess, logFile)));
  console.log(
    `2 replicas (node bin/patchcast.js serve, sources through tsx) ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${origins.join(' ')}`,
  );

  const cpu = new CpuMeter(replicas.map((r) => r.pid as number));
  // This process's own event-loop delay: a late timer or callback here inflates every latency it times.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const steady: Sample[] = [];
  const errors: string[] = [];
  const agents = credentials.map((credential, i) => new PolledAgent(credential, ports[i % 2] as number));
  const recordInto = (samples: Sample[]) => (sample: Sample, error?: string) => {
    samples.push(sample);
    if (error && errors.length < 20) errors.push(error);
  };

  // Steady state: each agent from a random phase, then every interval.
  const loads: string[] = [];
  const loadTimer = setInterval(() => loads.push(loadAverage()), 30_000);
  cpu.mark();
  const steadyStart = performance.now();
  const wall = { steady: Date.now(), storm: 0, drained: 0 };
  for (const agent of agents) agent.start(Math.random() * INTERVAL_S * 1000, recordInto(steady));
  await sleep(DURATION_S * 1000);
  for (const agent of agents) agent.stop();
  const steadyCpu = cpu.mark();
  const steadySeconds = (performance.now() - steadyStart) / 1000;
  await sleep(2000); // let the last polls answer
  report('steady state', steady, steadySeconds, steadyCpu);
  // After the first interval every agent holds an open connection and the replicas' JIT is warm.
  const warm = steady.filter((s) => s.at >= steadyStart + INTERVAL_S * 1000);
  const warmMs = (q: number) => percentile(warm, q).toFixed(1);
  console.log(
    `  after the first interval (connections open): ${warm.length} requests, errors ${warm.filter((s) => !s.ok).length}; ms p50 ${warmMs(0.5)} p90 ${warmMs(0.9)} p99 ${warmMs(0.99)} max ${warmMs(1)}`,
  );

  // Reconnect storm: every agent on a new connection at once; once answered, each agent polls again
  // after a random delay within its interval, then every interval (the polls after the storm).
  const storm: Sample[] = [];
  const after: Sample[] = [];
  for (const agent of agents) agent.reconnect();
  const stormStart = performance.now();
  wall.storm = Date.now();
  await Promise.all(
    agents.map(async (agent) => {
      await agent.pollOnce(recordInto(storm));
      agent.start(Math.random() * INTERVAL_S * 1000, recordInto(after));
    }),
  );
  const drained = performance.now();
  wall.drained = Date.now();
  const stormSeconds = (drained - stormStart) / 1000;
  const stormCpu = cpu.mark();
  report(`storm burst (drained in ${stormSeconds.toFixed(1)} s)`, storm, stormSeconds, stormCpu);
  await sleep(AFTER_S * 1000);
  for (const agent of agents) agent.stop();
  await sleep(2000);
  const afterCpu = cpu.mark();
  const settled = after.filter((s) => s.at >= drained);
  report(`the ${AFTER_S} s after the storm drained`, settled, AFTER_S, afterCpu);
  console.log("  polls after each one's storm answer, by when they were sent (from the storm's start):");
  for (let from = 0; from < stormSeconds + AFTER_S; from += 10) {
    const bucket = after.filter(
      (s) => s.at >= stormStart + from * 1000 && s.at < stormStart + (from + 10) * 1000,
    );
    if (bucket.length)
      console.log(
        `    ${String(from).padStart(3)}–${from + 10} s: ${bucket.length} polls, p99 ${percentile(bucket, 0.99).toFixed(1)} ms, errors ${bucket.filter((s) => !s.ok).length}`,
      );
  }
  clearInterval(loadTimer);

  const steadyP99 = percentile(warm.length ? warm : steady, 0.99);
  console.log(
    `against the steady p99 after the first interval (${steadyP99.toFixed(1)} ms): p99 after the storm / steady p99 = ${(percentile(settled, 0.99) / steadyP99).toFixed(2)}× (target ≤ 2×); storm burst p99 / steady p99 = ${(percentile(storm, 0.99) / steadyP99).toFixed(1)}×`,
  );
  console.log(`load average during the run (every 30 s): ${loads.join(' | ')}; at the end: ${loadAverage()}`);
  lag.disable();
  console.log(
    `load generator's event-loop delay: p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`,
  );
  await Promise.all(replicas.map(stopChild));
  serverSide(logFile, wall);
  if (errors.length) console.log(`first errors:\n  ${errors.join('\n  ')}`);
  for (const agent of agents) agent.close();
}

/** Migrates the schema, writes the assets and jobs, enrolls the agents; returns their credentials. */
async function prepareStore(): Promise<string[]> {
  const store = await openStore({ databaseUrl });
  try {
    const at = new Date().toISOString();
    let started = performance.now();
    const ids = Array.from({ length: AGENTS }, (_, i) => `bench-host-${String(i).padStart(5, '0')}`);
    for (let i = 0; i < ids.length; i += 500) {
      await store.db.transaction().execute(async (db) => {
        for (const id of ids.slice(i, i + 500))
          await upsertAsset(
            db,
            { id, name: id, kind: 'host', internetExposed: false, services: [], tags: ['bench'] },
            at,
          );
        await enqueueJobs(
          db,
          ids
            .slice(i, i + 500)
            .filter((_, k) => k % 2 === 0)
            .map((assetId) => ({ id: `job-${assetId}`, assetId, payload: { action: 'patch', packages: 3 } })),
          at,
        );
      });
    }
    console.log(
      `store: schema ${schema}, ${AGENTS} assets and ${Math.ceil(AGENTS / 2)} pending jobs written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const config = normalizeConfig(configSchema.parse({}), null, {});
    const admin = { kind: 'cli', id: 'cli:bench', role: 'admin' } as const;
    const { token } = await createEnrollToken(
      { store, config, clock: systemClock, logger: silentLogger, actor: admin },
      { uses: AGENTS, expires: '1h' },
    );
    started = performance.now();
    const credentials = new Array<string>(AGENTS);
    let next = 0;
    await Promise.all(
      Array.from({ length: ENROLL_CONCURRENCY }, async () => {
        while (next < AGENTS) {
          const i = next++;
          const id = ids[i] as string;
          const enrolled = await enrollAgent(store, systemClock, {
            enrollToken: token,
            assetId: id,
            hostname: id,
          });
          credentials[i] = enrolled.credential;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `enrollment: ${AGENTS} agents in ${seconds.toFixed(1)} s = ${(AGENTS / seconds).toFixed(0)} agents/s (enrollAgent in-process, ${ENROLL_CONCURRENCY} at a time, one ${AGENTS}-use token)`,
    );
    return credentials;
  } finally {
    await store.close();
  }
}

/** One agent: its credential, one keep-alive socket to one replica, a poll timer. */
class PolledAgent {
  private agent: http.Agent;
  private timer: NodeJS.Timeout | undefined;
  private readonly headers: Record<string, string>;

  constructor(
    credential: string,
    private readonly port: number,
  ) {
    this.agent = PolledAgent.newAgent();
    this.headers = { authorization: `Bearer ${credential}` };
  }

  private static newAgent(): http.Agent {
    return new http.Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1, keepAliveMsecs: 30_000 });
  }

  start(delayMs: number, record: (s: Sample, error?: string) => void): void {
    this.timer = setTimeout(() => {
      void this.pollOnce(record);
      this.timer = setInterval(() => void this.pollOnce(record), INTERVAL_S * 1000);
    }, delayMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.timer);
  }

  /** Drops the connection: the next poll opens a new one. */
  reconnect(): void {
    this.agent.destroy();
    this.agent = PolledAgent.newAgent();
  }

  close(): void {
    this.agent.destroy();
  }

  pollOnce(record: (s: Sample, error?: string) => void): Promise<void> {
    const at = performance.now();
    return new Promise((resolve) => {
      const done = (ok: boolean, error?: string) => {
        record({ at, ms: performance.now() - at, ok }, error);
        resolve();
      };
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          path: '/api/v1/agent/jobs',
          agent: this.agent,
          headers: this.headers,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (body += c));
          res.on('end', () =>
            res.statusCode === 200 ? done(true) : done(false, `${res.statusCode} ${body.slice(0, 200)}`),
          );
          res.on('error', (e) => done(false, e.message));
        },
      );
      req.on('error', (e) => done(false, e.message));
      req.end();
    });
  }
}

function report(label: string, samples: Sample[], seconds: number, cpu: CpuFigures): void {
  const failed = samples.filter((s) => !s.ok).length;
  const ms = (q: number) => percentile(samples, q).toFixed(1);
  console.log(
    `${label}: ${samples.length} requests, ${(samples.length / seconds).toFixed(1)} req/s, errors ${failed}; ` +
      `ms p50 ${ms(0.5)} p90 ${ms(0.9)} p99 ${ms(0.99)} max ${ms(1)}`,
  );
  const pct = (s: number) => `${s.toFixed(1)} s (${((100 * s) / cpu.seconds).toFixed(0)}% of a core)`;
  console.log(
    `  CPU over ${cpu.seconds.toFixed(1)} s: replicas ${cpu.replicas.map(pct).join(', ')}; PostgreSQL (all backends, shared) ${pct(cpu.postgres)}; this load generator ${pct(cpu.self)}`,
  );
}

/** The replicas' own view from their logs: each request's responseTime by phase, and the errors they logged. */
function serverSide(logFile: string, wall: { steady: number; storm: number; drained: number }): void {
  const phases = {
    'steady state': [] as number[],
    'storm burst': [] as number[],
    'after the storm': [] as number[],
  };
  const problems = new Map<string, number>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as {
      level?: number;
      time?: number;
      responseTime?: number;
      msg?: string;
      err?: { message?: string };
    };
    if (typeof entry.responseTime === 'number' && typeof entry.time === 'number') {
      const sent = entry.time - entry.responseTime;
      if (sent < wall.steady) continue;
      const phase =
        sent < wall.storm ? 'steady state' : entry.time <= wall.drained ? 'storm burst' : 'after the storm';
      phases[phase].push(entry.responseTime);
    }
    if ((entry.level ?? 0) >= 50) {
      const key = (entry.err?.message ?? entry.msg ?? '?').slice(0, 120);
      problems.set(key, (problems.get(key) ?? 0) + 1);
    }
  }
  console.log(
    "replicas' own responseTime (Fastify's, from the request's arrival, agent slot wait included):",
  );
  for (const [phase, times] of Object.entries(phases)) {
    times.sort((a, b) => a - b);
    const q = (p: number) =>
      (times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)] ?? Number.NaN).toFixed(1);
    console.log(
      `  ${phase}: ${times.length} requests, ms p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} max ${q(1)}`,
    );
  }
  for (const [message, count] of problems) console.log(`  logged error ×${count}: ${message}`);
}

function percentile(samples: readonly Sample[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
}

interface CpuFigures {
  seconds: number;
  replicas: number[];
  postgres: number;
  self: number;
}

/** CPU seconds (user + system) from /proc, between marks. */
class CpuMeter {
  private last: { at: number; replicas: number[]; postgres: number; self: number };
  private readonly tick = 100; // USER_HZ on Linux

  constructor(private readonly pids: number[]) {
    this.last = this.read();
  }

  mark(): CpuFigures {
    const now = this.read();
    const figures = {
      seconds: (now.at - this.last.at) / 1000,
      replicas: now.replicas.map((v, i) => v - (this.last.replicas[i] as number)),
      postgres: now.postgres - this.last.postgres,
      self: now.self - this.last.self,
    };
    this.last = now;
    return figures;
  }

  private read() {
    const usage = process.cpuUsage();
    return {
      at: performance.now(),
      replicas: this.pids.map((pid) => this.procSeconds(pid)),
      postgres: this.postgresSeconds(),
      self: (usage.user + usage.system) / 1e6,
    };
  }

  /** utime + stime, plus the reaped children's (the postmaster's count the backends that ended). */
  private procSeconds(pid: number, withChildren = false): number {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const children = withChildren ? Number(fields[13]) + Number(fields[14]) : 0;
      return (Number(fields[11]) + Number(fields[12]) + children) / this.tick;
    } catch {
      return Number.NaN;
    }
  }

  /** Every process named postgres, the other users' backends too (the server is shared). */
  private postgresSeconds(): number {
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        total += this.procSeconds(Number(entry), true);
      } catch {
        // gone
      }
    }
    return total;
  }
}

function startReplica(port: number, log: number): ChildProcess {
  return spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
    cwd: work,
    env: {
      ...process.env,
      PATCHCAST_DATABASE_URL: databaseUrl,
      PATCHCAST_CONFIG: '',
      PATCHCAST_FROM_SOURCE: '1',
      ...(PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${PROFILE_DIR}` } : {}),
    },
    stdio: ['ignore', log, log],
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

if (!(await isPostgresUp(PG_URL))) rmSync(work, { recursive: true, force: true });
else
  try {
    await main();
  } finally {
    await Promise.all(replicas.map(stopChild));
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
    rmSync(work, { recursive: true, force: true });
  }
