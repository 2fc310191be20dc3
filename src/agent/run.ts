/**
 * `patchcast agent run`: the pull loop. Deliver what the journal holds, report the host's inventory
 * when dpkg's database changed, long-poll for a job leased to this agent, run it on this host (or on
 * the installation rooted at `--root`), report each step and the end, and start over.
 */
import { readFile } from 'node:fs/promises';
import { PatchcastError } from '../core/errors.js';
import type { Executor, LeasedJob } from '../rollout/contract.js';
import { executeJob } from '../rollout/execute-job.js';
import { makeLocalExecutor } from '../rollout/executors/local.js';
import { getPackageManager } from '../rollout/package-managers/index.js';
import { AgentClient, makeApiJobChannel } from './client.js';
import { getDpkgStamp, loadHostReport, loadPackagesInUse } from './inventory.js';
import {
  deliverPending,
  getResume,
  journalLease,
  makeJournaledChannel,
  makeStoppableChannel,
} from './journaled-channel.js';
import { type AgentCredential, AgentJournal, loadCredential, openStateDir } from './state.js';

export interface AgentRunOptions {
  stateDir: string;
  /** The root of the package installation the agent manages (`/`: this host). */
  root?: string;
  /** Stop after the first poll that leases nothing. */
  once?: boolean;
  /** Seconds a lease request waits on the server for a job (long poll), at most 30. */
  pollWait?: number;
  /** Extra `-o` settings for apt, `Key=Value` each. */
  aptOptions?: readonly string[];
  /** Aborted by SIGTERM/SIGINT: the current step's report is delivered, then the loop ends. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  clock?: () => Date;
}

export interface AgentRunSummary {
  jobs: Array<{ jobId: string; outcome: string; stopped?: string }>;
}

/** Runs the agent until `once` finds no work or the signal stops it. */
export async function runAgent(options: AgentRunOptions): Promise<AgentRunSummary> {
  const agent = await openAgent(options);
  const summary: AgentRunSummary = { jobs: [] };
  await agent.startup();
  const signal = options.signal;
  let failures = 0;
  while (!signal?.aborted) {
    await agent.syncPending();
    await agent.reportInventoryIfChanged();
    let leased: LeasedJob[];
    try {
      leased = await agent.client.lease({ limit: 1, wait: agent.pollWait }, signal);
      failures = 0;
    } catch (error) {
      if (signal?.aborted) break;
      if (options.once || !(error instanceof PatchcastError) || error.code !== 'UPSTREAM_UNAVAILABLE')
        throw error;
      failures++;
      agent.log(`lease failed (${error.message}); trying again`);
      await pause(Math.min(60_000, 1000 * 2 ** failures), signal);
      continue;
    }
    if (leased.length === 0) {
      if (options.once) break;
      // A server that answers a long poll early (or wait 0) must not turn the loop into a busy one.
      await pause(1000, signal);
      continue;
    }
    for (const work of leased) {
      if (signal?.aborted) break;
      const outcome = await agent.runLeased(work);
      if (outcome) summary.jobs.push(outcome);
      await agent.reportInventory('after a job');
    }
  }
  return summary;
}

async function openAgent(options: AgentRunOptions) {
  const log = options.log ?? (() => {});
  const clock = options.clock ?? (() => new Date());
  const root = options.root ?? '/';
  const pollWait = options.pollWait ?? 20;
  if (!Number.isInteger(pollWait) || pollWait < 0 || pollWait > 30)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      `--poll-wait ${pollWait}: a whole number of seconds, 0 to 30`,
    );
  toAptArgs(options.aptOptions);
  if (process.getuid?.() !== 0)
    throw new PatchcastError(
      'USAGE_INVALID_ARGUMENT',
      'patchcast agent run must run as root: it installs packages with apt-get and dpkg',
      {
        hint: 'Run it from packaging/patchcast-agent.service (systemd, as root) or with sudo.',
      },
    );
  const dir = await openStateDir(options.stateDir);
  const credential = await loadCredential(dir);
  const ca = credential.caFile ? await readCa(credential.caFile) : undefined;
  const client = new AgentClient({ server: credential.server, ...(ca ? { ca } : {}) }, credential.credential);
  const journal = await AgentJournal.load(dir);
  return new Agent({ ...options, root, pollWait, log, clock }, credential, client, journal);
}

class Agent {
  #stamp: string | undefined = 'unknown';
  readonly executor: Executor;

  constructor(
    readonly options: AgentRunOptions & {
      root: string;
      pollWait: number;
      log: (line: string) => void;
      clock: () => Date;
    },
    readonly credential: AgentCredential,
    readonly client: AgentClient,
    readonly journal: AgentJournal,
  ) {
    // `--root DIR` manages the installation rooted at DIR: every command runs chrooted into it.
    this.executor = makeLocalExecutor(options.root === '/' ? {} : { prefix: ['chroot', options.root] });
  }

  get pollWait() {
    return this.options.pollWait;
  }

  log(line: string) {
    this.options.log(line);
  }

  /** Delivers the journal's undelivered results, and forgets jobs the server no longer has open. */
  async startup(): Promise<void> {
    const entries = this.journal.entries();
    if (entries.length > 0) this.log(`journal: ${entries.length} job(s) in flight before this start`);
    if (!(await deliverPending(this.client, this.journal, this.log.bind(this)))) return;
    const open = await this.client.listJobs().catch(() => undefined);
    if (!open) return;
    const ids = new Set(open.map((j) => j.id));
    for (const entry of this.journal.entries()) {
      if (ids.has(entry.jobId)) {
        this.log(
          `job ${entry.jobId}: in flight (token ${entry.token}, ${entry.step}); its next lease re-checks the host`,
        );
        continue;
      }
      this.log(`job ${entry.jobId}: no longer open on the server; journal entry dropped`);
      await this.journal.remove(entry.jobId);
    }
  }

  async syncPending(): Promise<void> {
    if (this.journal.entries().some((e) => e.pending.length > 0))
      await deliverPending(this.client, this.journal, this.log.bind(this));
  }

  async reportInventoryIfChanged(): Promise<void> {
    if ((await getDpkgStamp(this.options.root)) !== this.#stamp)
      await this.reportInventory('dpkg database changed');
  }

  /** Sends the host's report; a failure is logged and retried when the next poll sees the stamp unchanged-from-sent. */
  async reportInventory(why: string): Promise<void> {
    const stamp = await getDpkgStamp(this.options.root);
    try {
      const inUse = await this.loadPackagesInUse();
      const report = await loadHostReport(this.options.root, this.options.clock(), inUse ? { inUse } : {});
      if (!report) {
        this.#stamp = stamp;
        return this.log(`inventory: no dpkg database under ${this.options.root}; not reported`);
      }
      const answer = await this.client.sendInventory(JSON.stringify(report));
      this.#stamp = stamp;
      this.log(`inventory (${why}): ${answer.packages} packages reported for ${answer.assetId}`);
    } catch (error) {
      this.log(`inventory (${why}) not reported: ${(error as Error).message}`);
    }
  }

  /** Which packages running processes use; a scan that fails leaves usage unknown, not the report unsent. */
  async loadPackagesInUse(): Promise<Set<string> | undefined> {
    try {
      return await loadPackagesInUse(this.options.root, this.executor);
    } catch (error) {
      this.log(`inventory: packages in use not known (${(error as Error).message})`);
      return undefined;
    }
  }

  /** Runs one leased job, unless it is not this agent's or its token was already applied under. */
  async runLeased(
    work: LeasedJob,
  ): Promise<{ jobId: string; outcome: string; stopped?: string } | undefined> {
    const jobId = work.job.id;
    const own = this.credential.assetId;
    if (work.job.assetId !== own || work.spec.assetId !== own) {
      this.log(`job ${jobId}: leased for asset ${work.job.assetId}, but this agent is ${own}; not run`);
      return undefined;
    }
    const entry = this.journal.get(jobId);
    if (entry?.appliedToken !== undefined && work.token <= entry.appliedToken) {
      this.log(`job ${jobId}: token ${work.token} was already applied under (journal); not run again`);
      return undefined;
    }
    const resume = getResume(work, entry);
    await journalLease(
      this.journal,
      work,
      entry?.appliedToken !== undefined ? entry : undefined,
      this.options.clock,
    );
    const stopping = () => this.options.signal?.aborted === true;
    const journaled = makeJournaledChannel(
      makeApiJobChannel(this.client, work),
      this.journal,
      work,
      this.options.clock,
    );
    const channel = makeStoppableChannel(journaled, stopping);
    const manager = getPackageManager(work.spec.manager, {
      apt: { aptOptions: toAptArgs(this.options.aptOptions) },
    });
    this.log(
      `job ${jobId}: leased (token ${work.token}, attempt ${work.job.attempts}${resume.previous ? ', resuming after apply began' : ''})`,
    );
    try {
      const result = await executeJob({ ...work, resume }, { executor: this.executor, manager }, channel, {
        log: (line) => this.log(`job ${jobId}: ${line}`),
        clock: this.options.clock,
      });
      if (result.outcome === 'lease-lost' && stopping()) {
        this.log(`job ${jobId}: stopped after its current step (signal); its next lease resumes it`);
        return { jobId, outcome: 'stopped', stopped: 'signal' };
      }
      if (result.outcome === 'lease-lost') await this.journal.remove(jobId);
      this.log(`job ${jobId}: ${result.outcome}${result.lastError ? ` (${result.lastError})` : ''}`);
      return { jobId, outcome: result.outcome };
    } catch (error) {
      this.log(
        `job ${jobId}: interrupted (${(error as Error).message}); the journal keeps it for delivery and resume`,
      );
      return { jobId, outcome: 'interrupted' };
    }
  }
}

/** `Key=Value` settings as apt's `-o` arguments. */
export function toAptArgs(settings: readonly string[] = []): string[] {
  return settings.flatMap((setting) => {
    if (!/^[A-Za-z0-9:_-]+=/.test(setting))
      throw new PatchcastError(
        'USAGE_INVALID_ARGUMENT',
        `--apt-option ${JSON.stringify(setting)}: expected Key=Value`,
        {
          hint: 'For example --apt-option Acquire::Retries=3',
        },
      );
    return ['-o', setting];
  });
}

async function readCa(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new PatchcastError(
      'INPUT_NOT_FOUND',
      `cannot read the CA file ${path}: ${(error as Error).message}`,
      {
        hint: 'Enroll again with --ca FILE pointing at the PEM file of the CA that signed the server certificate.',
      },
    );
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
