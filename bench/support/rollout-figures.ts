/**
 * The figures of one `bench/rollout.ts` run, read back from the store (release events, the server's
 * lease events, job and wave states) and joined with the controller's tick lines and the agents'
 * receive times; printed per run and as a table across fleet sizes.
 */
import pg from 'pg';
import type { Dispatch } from './rollout-agent.js';
import type { TickLine } from './rollout-controller.js';

export interface RunFigures {
  agents: number;
  wallMs: number;
  ticks: { count: number; wallMs: Stats; cpuMs: Stats; releaseTicks: number };
  /** Release → agent read the lease; and its parts. */
  dispatch: Stats;
  commit: Stats;
  serverWait: Stats;
  delivery: Stats;
  undelivered: number;
  jobs: Record<string, number>;
  failing: number;
  rollout: string;
  waves: Array<{ ring: string; status: string; startedAt: string | null; finishedAt: string | null }>;
  inOrder: boolean;
  requests: number;
  leases: number;
  errors: string[];
  cpu: { seconds: number; replicas: number[]; postgres: number; self: number };
}

export interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function getStats(values: readonly number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return { n: sorted.length, p50: q(0.5), p99: q(0.99), max: q(1) };
}

const parse = (data: unknown): Record<string, unknown> =>
  (typeof data === 'string' ? JSON.parse(data) : (data ?? {})) as Record<string, unknown>;

export async function collectFigures(input: {
  databaseUrl: string;
  planId: string;
  agents: number;
  ticks: TickLine[];
  dispatches: Dispatch[];
  wallMs: number;
  cpu: RunFigures['cpu'];
  counters: { requests: number; leases: number; errors: string[] };
  logFile: string;
  failing: number;
}): Promise<RunFigures> {
  const url = new URL(input.databaseUrl);
  const schema = url.searchParams.get('schema') as string;
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`set search_path to "${schema}"`);
    const jobs: Record<string, number> = {};
    for (const r of (
      await client.query('select status, count(*)::int n from jobs where plan_id = $1 group by status', [
        input.planId,
      ])
    ).rows)
      jobs[r.status] = r.n;
    const releasedAt = new Map<string, string>();
    for (const r of (
      await client.query(`select at, data from events where kind = 'rollout:changed' order by id`)
    ).rows) {
      const released = parse(r.data).released;
      if (Array.isArray(released)) for (const id of released) releasedAt.set(String(id), r.at);
    }
    const leasedAt = new Map<string, string>();
    for (const r of (
      await client.query(`select job_id, min(at) first from job_events where kind = 'lease' group by job_id`)
    ).rows)
      leasedAt.set(r.job_id, r.first);
    const waves = (
      await client.query(
        'select ring, status, started_at, finished_at from waves where plan_id = $1 order by position',
        [input.planId],
      )
    ).rows.map((r) => ({
      ring: r.ring,
      status: r.status,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
    }));
    const rollout = (await client.query('select status from rollouts where plan_id = $1', [input.planId]))
      .rows[0]?.status;

    const tickEnd = new Map(input.ticks.map((t) => [t.at, t.endMs]));
    const received = new Map<string, number>();
    for (const d of input.dispatches) if (!received.has(d.jobId)) received.set(d.jobId, d.receivedMs);
    const dispatch: number[] = [];
    const commit: number[] = [];
    const serverWait: number[] = [];
    const delivery: number[] = [];
    let undelivered = 0;
    for (const [jobId, at] of releasedAt) {
      const released = Date.parse(at);
      const got = received.get(jobId);
      const lease = leasedAt.get(jobId);
      const end = tickEnd.get(at);
      if (got === undefined || lease === undefined || end === undefined) {
        undelivered++;
        continue;
      }
      dispatch.push(got - released);
      commit.push(end - released);
      serverWait.push(Date.parse(lease) - end);
      delivery.push(got - Date.parse(lease));
    }
    const inOrder = waves.every(
      (w, i) =>
        w.status === 'promoted' && (i === 0 || (w.startedAt ?? '') >= (waves[i - 1]?.finishedAt ?? '\uffff')),
    );
    return {
      agents: input.agents,
      wallMs: input.wallMs,
      ticks: {
        count: input.ticks.length,
        wallMs: getStats(input.ticks.map((t) => t.wallMs)),
        cpuMs: getStats(input.ticks.map((t) => t.cpuMs)),
        releaseTicks: input.ticks.filter((t) => t.actions.some((a) => a.kind === 'release')).length,
      },
      dispatch: getStats(dispatch),
      commit: getStats(commit),
      serverWait: getStats(serverWait),
      delivery: getStats(delivery),
      undelivered,
      jobs,
      failing: input.failing,
      rollout: rollout ?? 'none',
      waves,
      inOrder,
      requests: input.counters.requests,
      leases: input.counters.leases,
      errors: input.counters.errors,
      cpu: input.cpu,
    };
  } finally {
    await client.end();
  }
}

const ms = (s: Stats) => `p50 ${s.p50.toFixed(0)} p99 ${s.p99.toFixed(0)} max ${s.max.toFixed(0)} ms`;

export function printRun(f: RunFigures): void {
  console.log(
    `\n${f.agents} agents: rollout ${f.rollout} in ${(f.wallMs / 1000).toFixed(1)} s, ${f.ticks.count} ticks`,
  );
  console.log(
    `  jobs by status: ${Object.entries(f.jobs)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')} (${f.failing} set to fail)`,
  );
  console.log(
    `  waves: ${f.waves.map((w) => `${w.ring} ${w.status}`).join(' → ')}; promoted in order: ${f.inOrder ? 'yes' : 'NO'}`,
  );
  console.log(
    `  dispatch (release → agent has the job), ${f.dispatch.n} jobs${f.undelivered ? `, ${f.undelivered} not seen` : ''}: ${ms(f.dispatch)}`,
  );
  console.log(`    release → tick end (commit): ${ms(f.commit)}`);
  console.log(`    tick end → server lease:     ${ms(f.serverWait)}`);
  console.log(`    server lease → agent read:   ${ms(f.delivery)}`);
  console.log(
    `  controller tick: wall ${ms(f.ticks.wallMs)}; CPU ${ms(f.ticks.cpuMs)} (${f.ticks.releaseTicks} ticks released jobs)`,
  );
  const pct = (s: number) => `${s.toFixed(1)} s (${((100 * s) / f.cpu.seconds).toFixed(0)}%)`;
  console.log(
    `  CPU over the rollout: replicas ${f.cpu.replicas.map(pct).join(', ')}; PostgreSQL ${pct(f.cpu.postgres)}; agents (this process) ${pct(f.cpu.self)}`,
  );
  console.log(
    `  agents sent ${f.requests} requests (${(f.requests / f.cpu.seconds).toFixed(0)}/s), ${f.leases} lease answers; errors ${f.errors.length}`,
  );
  for (const e of f.errors.slice(0, 5)) console.log(`    ${e}`);
}

export function printTable(runs: readonly RunFigures[]): void {
  console.log(
    '\n| agents | rollout s | ticks | dispatch p50 / p99 ms | tick wall p50 / p99 ms | tick CPU p50 / p99 ms | replicas CPU % | PG CPU % | jobs |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const f of runs) {
    const pct = (s: number) => ((100 * s) / f.cpu.seconds).toFixed(0);
    console.log(
      `| ${f.agents} | ${(f.wallMs / 1000).toFixed(1)} | ${f.ticks.count} | ${f.dispatch.p50.toFixed(0)} / ${f.dispatch.p99.toFixed(0)} | ` +
        `${f.ticks.wallMs.p50.toFixed(0)} / ${f.ticks.wallMs.p99.toFixed(0)} | ${f.ticks.cpuMs.p50.toFixed(0)} / ${f.ticks.cpuMs.p99.toFixed(0)} | ` +
        `${f.cpu.replicas.map(pct).join(' + ')} | ${pct(f.cpu.postgres)} | ${Object.entries(f.jobs)
          .map(([s, n]) => `${s} ${n}`)
          .join(', ')} |`,
    );
  }
}
