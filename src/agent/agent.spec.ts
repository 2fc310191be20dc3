import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentServer, startAgentServer } from '../../test/support/agent-server.js';
import { PatchcastError } from '../core/errors.js';
import { agentReportFormat } from '../inventory/agent-report/index.js';
import { dpkgStatusFormat } from '../inventory/dpkg-status/index.js';
import type { JobChannel } from '../rollout/contract.js';
import { AgentClient, isLeaseStale } from './client.js';
import { enrollAgent } from './enroll.js';
import { getDpkgStamp, loadHostReport } from './inventory.js';
import {
  deliverPending,
  getResume,
  makeJournaledChannel,
  makeStoppableChannel,
} from './journaled-channel.js';
import { runAgent } from './run.js';
import { AgentJournal, type JournalEntry, loadCredential, openStateDir, saveCredential } from './state.js';

const STATE_MODULE = fileURLToPath(new URL('./state.ts', import.meta.url));
const instant = { sleep: async () => {} };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchcast-agent-spec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entry(jobId: string, token: number, pending: JournalEntry['pending']): JournalEntry {
  return { jobId, token, step: 'preflight', phase: 'ended', pending, updatedAt: new Date().toISOString() };
}

const report = (step: 'preflight' | 'apply', outcome: 'ok' | 'failed' = 'ok') => ({
  step,
  outcome,
  startedAt: '2026-12-08T00:00:00.000Z',
  endedAt: '2026-12-08T00:00:01.000Z',
  excerpt: `${step} output`,
});

describe('agent state', () => {
  it('keeps the state directory 0700 and its files 0600', async () => {
    const state = join(dir, 'modes');
    await mkdir(state, { mode: 0o755 });
    await openStateDir(state);
    const journal = await AgentJournal.load(state);
    await journal.put(entry('j1', 1, []));
    expect((await stat(state)).mode & 0o777).toBe(0o700);
    expect((await stat(journal.path)).mode & 0o777).toBe(0o600);
  });

  it('a journal writer killed at any moment leaves a whole journal, never older than its last acknowledged write', async () => {
    const state = join(dir, 'killed');
    await openStateDir(state);
    // Each generation rewrites every entry with the same token; a torn file would mix or break them.
    const script = [
      `import { AgentJournal } from ${JSON.stringify(STATE_MODULE)};`,
      `const journal = await AgentJournal.load(${JSON.stringify(state)});`,
      'const pad = "x".repeat(20000);',
      'for (let gen = 1; ; gen++) {',
      '  const jobs = Array.from({ length: 20 }, (_, i) => ({ jobId: "j" + i, token: gen, step: pad, phase: "ended", pending: [], updatedAt: "x" }));',
      '  for (const job of jobs) await journal.put(job);',
      '  process.stdout.write(String(gen) + "\\n");',
      '}',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let acknowledged = 0;
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: string) => {
        acknowledged = Math.max(acknowledged, ...chunk.split('\n').filter(Boolean).map(Number));
        if (acknowledged >= 5) resolve();
      });
    });
    child.kill('SIGKILL');
    await once(child, 'exit');
    const journal = await AgentJournal.load(state);
    const tokens = journal.entries().map((e) => e.token);
    expect(tokens.length).toBeGreaterThan(0);
    // Entries written one put at a time: generation g's first entries may sit beside g-1's last ones.
    expect(Math.max(...tokens) - Math.min(...tokens)).toBeLessThanOrEqual(1);
    expect(Math.min(...tokens)).toBeGreaterThanOrEqual(acknowledged);
  }, 60_000);

  it('names a damaged journal and a missing credential, with the fix', async () => {
    const state = join(dir, 'damaged');
    await openStateDir(state);
    await writeFile(join(state, 'journal.json'), '{"schema": "patchcast.agent-journal/1", "jobs": [');
    await expect(AgentJournal.load(state)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(join(state, 'journal.json')),
    });
    await expect(loadCredential(state)).rejects.toMatchObject({
      code: 'CONFIG_NOT_FOUND',
      hint: expect.stringContaining('patchcast agent enroll'),
    });
  });
});

describe('resume from the journal', () => {
  const previous = [{ name: 'pcdemo', version: '1.0-1' }];
  it('asks the host when the journal saw apply begin but the server did not hear of it', () => {
    const journaled = { ...entry('j', 3, []), step: 'apply', previous, appliedToken: 3 };
    expect(getResume({ resume: { lastStep: 'pre-hooks' } }, journaled)).toEqual({
      previous: [{ name: 'pcdemo', version: '1.0-1' }],
      lastStep: 'pre-hooks',
    });
  });
  it("prefers the server's record when it has one", () => {
    const journaled = { ...entry('j', 3, []), step: 'verify', previous, appliedToken: 3 };
    const server = { previous: [{ name: 'pcdemo', version: '1.0-0' }], lastStep: 'restart' };
    expect(getResume({ resume: server }, journaled)).toEqual(server);
  });
  it('starts afresh when nothing was applied', () => {
    expect(getResume({ resume: {} }, undefined)).toEqual({});
  });
});

describe('client and journal replay against the real API', () => {
  let server: AgentServer;
  let client: AgentClient;
  let credential: string;

  beforeAll(async () => {
    server = await startAgentServer({ jobs: [{ assetId: 'host-a', packages: ['pcdemo@1.0-2'] }] });
    await server.release();
    const enrolled = await new AgentClient({ server: server.url }).enroll({
      enrollToken: await server.enrollToken(),
      assetId: 'host-a',
      hostname: 'host-a',
    });
    credential = enrolled.credential;
    client = new AgentClient({ server: server.url, ...instant }, credential);
  }, 60_000);
  afterAll(() => server?.close());

  it('delivers journaled results with their token, and drops those the server refuses as stale', async () => {
    const [work] = await client.lease({ limit: 1, wait: 0 });
    const jobId = server.jobIds[0] as string;
    expect(work?.job.id).toBe(jobId);
    const token = work?.token as number;
    const state = join(dir, 'replay');
    await openStateDir(state);
    const journal = await AgentJournal.load(state);
    await journal.put(
      entry(jobId, token, [
        { kind: 'step', report: report('preflight') },
        { kind: 'end', outcome: 'failed', lastError: 'preflight blocked' },
      ]),
    );
    const lines: string[] = [];
    expect(await deliverPending(client, await AgentJournal.load(state), (l) => lines.push(l))).toBe(true);
    expect(await server.job(jobId)).toMatchObject({ status: 'failed', lastError: 'preflight blocked' });
    expect((await AgentJournal.load(state)).entries()).toEqual([]);
    const steps = (await server.events(jobId)).filter((e) => e.kind === 'step:preflight');
    expect(steps).toHaveLength(1);

    // The same result replayed later (an agent restored from an old journal): refused, dropped, not stored.
    await journal.put(entry(jobId, token, [{ kind: 'step', report: report('apply') }]));
    expect(await deliverPending(client, await AgentJournal.load(state), (l) => lines.push(l))).toBe(true);
    expect((await AgentJournal.load(state)).entries()).toEqual([]);
    expect((await server.events(jobId)).filter((e) => e.kind.startsWith('step:'))).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/refused the journaled result under token \d+ \(it moved on\)/);
    const stale = await client.reportStep(jobId, token, report('apply')).catch((e: unknown) => e);
    expect(isLeaseStale(stale)).toBe(true);
    expect(stale).toMatchObject({ details: { httpStatus: 409, jobId } });
  });

  it('maps problem documents to coded errors, and never shows the credential', async () => {
    const wrong = new AgentClient({ server: server.url, ...instant }, 'pca_not-a-real-credential');
    const refused = await wrong.lease({ wait: 0 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'AUTH_REQUIRED',
      hint: expect.stringContaining('patchcast agent enroll'),
    });
    const missing = await client.heartbeat('plan-agent/job:other#0', 1).catch((e: unknown) => e);
    expect(missing).toMatchObject({
      code: 'STORE_NOT_FOUND',
      message: expect.stringContaining('plan-agent/job:other#0'),
    });
    for (const error of [refused, missing])
      expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(
        credential,
      );
  });

  it('names a refused enrollment token and an unwritable state directory', async () => {
    const token = `pce_${'A'.repeat(43)}`;
    await expect(
      enrollAgent({ server: server.url, token, stateDir: join(dir, 'enroll') }),
    ).rejects.toMatchObject({
      code: 'AUTH_REQUIRED',
      message: expect.stringContaining('refused the enrollment token'),
    });
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    await expect(
      enrollAgent({ server: server.url, token: await server.enrollToken(), stateDir: join(file, 'state') }),
    ).rejects.toMatchObject({
      code: 'STORE_NOT_WRITABLE',
      message: expect.stringContaining(join(file, 'state')),
    });
  });

  it('retries 5xx answers and refused connections, but not a 4xx', async () => {
    let calls = 0;
    const flaky = createServer((req, res) => {
      calls++;
      const status = req.url?.includes('lease') && calls < 3 ? 503 : req.url?.includes('lease') ? 200 : 400;
      res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? '[]' : '{}');
    });
    flaky.listen(0, '127.0.0.1');
    await once(flaky, 'listening');
    const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
    try {
      const c = new AgentClient({ server: url, ...instant }, 'x');
      expect(await c.lease({ wait: 0 })).toEqual([]);
      expect(calls).toBe(3);
      await expect(c.heartbeat('j', 1)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
      expect(calls).toBe(4);
    } finally {
      flaky.close();
    }
    const closed = new AgentClient({ server: url, attempts: 2, ...instant }, 'x');
    await expect(closed.lease({ wait: 0 })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      hint: expect.stringContaining('Nothing listens at'),
    });
  });
});

describe('inventory', () => {
  it("reports the root's os-release, host name and installed dpkg packages as an agent report", async () => {
    const root = join(dir, 'root');
    await mkdir(join(root, 'etc'), { recursive: true });
    await mkdir(join(root, 'var/lib/dpkg'), { recursive: true });
    await writeFile(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
    await writeFile(join(root, 'etc/hostname'), 'web-07\n');
    const status = fileURLToPath(new URL('../inventory/dpkg-status/__fixtures__/status', import.meta.url));
    await copyFile(status, join(root, 'var/lib/dpkg/status'));
    const stamp = await getDpkgStamp(root);
    const built = await loadHostReport(root, new Date('2026-12-08T01:00:00Z'));
    const text = JSON.stringify(built);
    const read = agentReportFormat.parse({ path: 'report.json', content: Buffer.from(text) });
    const direct = dpkgStatusFormat.parse({ path: 'status', content: await readFile(status) });
    expect(read.asset).toMatchObject({ name: 'web-07', osEcosystem: 'Debian:12' });
    expect(read.packages.map((p) => [p.name, p.version])).toEqual(
      direct.packages.map((p) => [p.name, p.version]),
    );
    expect(read.packages.every((p) => p.ecosystem === 'Debian:12')).toBe(true);
    expect(read.packages.some((p) => 'inUse' in p)).toBe(false);
    const [first, ...others] = direct.packages.map((p) => p.name);
    const scanned = await loadHostReport(root, new Date('2026-12-08T01:00:00Z'), {
      inUse: new Set([first ?? '']),
    });
    expect(scanned?.packages.map((p) => p.inUse)).toEqual([true, ...others.map(() => false)]);
    await writeFile(join(root, 'var/lib/dpkg/status'), '\n', { flag: 'a' });
    expect(await getDpkgStamp(root)).not.toBe(stamp);
    expect(await loadHostReport(join(dir, 'no-dpkg'), new Date())).toBeUndefined();
  });
});

describe('jobs the agent refuses to run', () => {
  const spec = (assetId: string) => ({
    jobId: 'p/job:x#0',
    assetId,
    manager: 'apt',
    targets: [{ name: 'pcdemo', version: '1.0-2' }],
    allow: { removals: false, downgrades: false, held: false },
    rehearsal: false,
    hooks: { pre: [], post: [] },
    probes: [],
    reboot: 'never',
    restartServices: false,
    refresh: false,
  });
  const leased = (assetId: string, token: number) => ({
    job: { id: 'p/job:x#0', assetId, attempts: 1 },
    token,
    spec: spec(assetId),
    resume: {},
    leaseExpiresAt: new Date(Date.now() + 600_000).toISOString(),
  });

  /** A server that leases `work` once, then nothing; it records every other request. */
  async function serve(work: unknown) {
    const seen: string[] = [];
    let leases = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const url = req.url ?? '';
        if (url === '/api/v1/agent/lease') {
          leases++;
          return res.writeHead(200).end(JSON.stringify(leases === 1 ? [work] : []));
        }
        if (url === '/api/v1/agent/jobs')
          return res.writeHead(200).end(JSON.stringify([{ id: 'p/job:x#0', status: 'leased' }]));
        seen.push(url);
        res.writeHead(200).end('{"accepted":true,"assetId":"host-a","packages":0,"warnings":[]}');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { server, seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  async function run(work: unknown, journal: JournalEntry[] = []) {
    const fake = await serve(work);
    const state = await mkdtemp(join(dir, 'refuse-'));
    await saveCredential(state, {
      server: fake.url,
      agentId: 'agt_1',
      assetId: 'host-a',
      credential: 'pca_x',
    });
    const loaded = await AgentJournal.load(state);
    for (const entry of journal) await loaded.put(entry);
    const lines: string[] = [];
    try {
      const summary = await runAgent({
        stateDir: state,
        root: join(dir, 'no-root'),
        once: true,
        pollWait: 0,
        log: (l) => lines.push(l),
      });
      return { summary, lines, seen: fake.seen };
    } finally {
      fake.server.close();
    }
  }

  it('never runs a job leased for another asset', async () => {
    const { summary, lines, seen } = await run(leased('host-b', 1));
    expect(summary.jobs).toEqual([]);
    expect(lines.join('\n')).toContain('leased for asset host-b, but this agent is host-a; not run');
    expect(seen.filter((url) => url.includes('/agent/jobs/'))).toEqual([]);
  });

  it('never applies twice under a token the journal says it already applied under', async () => {
    const applied = {
      ...entry('p/job:x#0', 4, []),
      step: 'apply',
      previous: [{ name: 'pcdemo', version: '1.0-1' }],
      appliedToken: 4,
    };
    const { summary, lines, seen } = await run(leased('host-a', 4), [applied]);
    expect(summary.jobs).toEqual([]);
    expect(lines.join('\n')).toContain('token 4 was already applied under (journal); not run again');
    expect(seen.filter((url) => url.includes('/agent/jobs/'))).toEqual([]);
  });
});

describe('TLS', () => {
  it('trusts a self-signed server only through --ca, and says so when it is missing', async () => {
    const key = join(dir, 'tls-key.pem');
    const cert = join(dir, 'tls-cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const server = createHttpsServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const untrusted = new AgentClient({ server: url, attempts: 1 }, 'x');
      await expect(untrusted.lease({ wait: 0 })).rejects.toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        hint: expect.stringContaining('pass --ca FILE'),
      });
      const trusted = new AgentClient({ server: url, ca: await readFile(cert, 'utf8') }, 'x');
      expect(await trusted.lease({ wait: 0 })).toEqual([]);
    } finally {
      server.close();
    }
  });
});

describe('journaled and stoppable channels', () => {
  /** A channel whose server is out of reach from the given call on. */
  function recorder(failFrom = Number.POSITIVE_INFINITY) {
    const calls: string[] = [];
    const call = async (name: string) => {
      if (calls.length >= failFrom)
        throw new PatchcastError(
          'UPSTREAM_UNAVAILABLE',
          'cannot reach the patchcast server at http://127.0.0.1:1',
        );
      calls.push(name);
    };
    const channel: JobChannel = {
      heartbeat: () => call('heartbeat'),
      beginApply: () => call('apply'),
      report: (r) => call(`step:${r.step}`),
      end: (outcome) => call(`end:${outcome}`),
    };
    return { calls, channel };
  }
  const work = { job: { id: 'p/job:x#0', assetId: 'host-a', attempts: 1 }, token: 7 };

  it('journals the versions before the server hears of them, and keeps an undelivered report', async () => {
    const state = await mkdtemp(join(dir, 'channel-'));
    const journal = await AgentJournal.load(state);
    const { calls, channel } = recorder(2);
    const journaled = makeJournaledChannel(channel, journal, work);
    await journaled.report(report('preflight'));
    await journaled.beginApply([{ name: 'pcdemo', version: '1.0-1' }]);
    expect((await AgentJournal.load(state)).get(work.job.id)).toMatchObject({
      appliedToken: 7,
      step: 'apply',
      phase: 'started',
    });
    await expect(journaled.report(report('apply'))).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    // The end is not journaled behind an undelivered report: the next lease asks the host instead.
    await expect(journaled.end('succeeded', {})).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    const kept = (await AgentJournal.load(state)).get(work.job.id);
    expect(kept?.pending).toEqual([{ kind: 'step', report: report('apply') }]);
    expect(calls).toEqual(['step:preflight', 'apply']);
  });

  it('after a signal, delivers the running step and then tells the runner to stop; apply never starts', async () => {
    let stopping = false;
    const { calls, channel } = recorder();
    const stoppable = makeStoppableChannel(channel, () => stopping);
    await stoppable.report(report('preflight'));
    stopping = true;
    const stopped = await stoppable.report(report('apply')).catch((e: unknown) => e);
    expect(isLeaseStale(stopped)).toBe(true);
    await expect(stoppable.beginApply([])).rejects.toMatchObject({ code: 'ROLLOUT_LEASE_STALE' });
    expect(calls).toEqual(['step:preflight', 'step:apply']);
  });
});
