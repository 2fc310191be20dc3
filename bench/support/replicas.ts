/**
 * What `bench/rollout.ts` needs to run `patchcast serve` replicas (as `bench/agents.ts` does): start
 * them from the sources through tsx, wait until they answer, stop them, and read CPU seconds from /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const BIN = fileURLToPath(new URL('../../bin/patchcast.js', import.meta.url));

export function startReplica(
  port: number,
  options: { cwd: string; databaseUrl: string; configFile: string; log: number },
): ChildProcess {
  return spawn(process.execPath, [BIN, 'serve', '--port', String(port)], {
    cwd: options.cwd,
    env: {
      ...process.env,
      PATCHCAST_DATABASE_URL: options.databaseUrl,
      PATCHCAST_CONFIG: options.configFile,
      PATCHCAST_FROM_SOURCE: '1',
    },
    stdio: ['ignore', options.log, options.log],
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export async function waitReady(origin: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${origin}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null)
      throw new Error(`a replica exited:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${origin} not ready after 120 s`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const USER_HZ = 100;

/** utime + stime of a process in seconds (with `children`, also those of its reaped children). */
export function readCpuSeconds(pid: number, children = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const reaped = children ? Number(fields[13]) + Number(fields[14]) : 0;
    return (Number(fields[11]) + Number(fields[12]) + reaped) / USER_HZ;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of every process named postgres (other users' backends too: the server is shared). */
export function readPostgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/stat`, 'utf8').includes('(postgres)')) continue;
      total += readCpuSeconds(Number(entry), true);
    } catch {
      // gone
    }
  }
  return total;
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** Whether the PostgreSQL answers: without one a benchmark says so and skips (`npm run bench` runs all). */
export async function isPostgresUp(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    console.log(`skipped: PostgreSQL at ${url} is unreachable (${(error as Error).message})`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
