import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../../src/agent/client.js';
import { loadAssetPackages } from '../../src/store/index.js';
import { type AgentServer, startAgentServer } from '../support/agent-server.js';
import { BIN } from '../support/cli.js';
import { buildDemoDebs, PCDEMO } from '../support/debs.js';
import { HOST_SOURCE_LIST, makeTestHost, type TestHost } from '../support/test-hosts.js';

// The real server on 127.0.0.1, the real `patchcast agent` as its own process inside an overlay test
// host (test/support/test-hosts.ts), real apt and dpkg there: mounts and namespaces need root.
const isRoot = process.getuid?.() === 0;
const STATE = '/var/lib/patchcast-agent';
const APT_SETTINGS = [
  `Dir::Etc::sourcelist=${HOST_SOURCE_LIST}`,
  'Dir::Etc::sourceparts=-',
  'APT::Get::List-Cleanup=0',
].flatMap((setting) => ['--apt-option', setting]);

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `patchcast …` inside the host as a separate process and waits for it to exit. */
function runPatchcastIn(host: TestHost, args: string[]): Promise<Exit> {
  return collect(startPatchcastIn(host, args));
}

function startPatchcastIn(host: TestHost, args: string[]) {
  return host.spawn([process.execPath, BIN, ...args], {
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C', PATCHCAST_FROM_SOURCE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function prepareHost(dir: string): Promise<TestHost> {
  const repo = await buildDemoDebs(join(dir, 'repo'));
  const host = await makeTestHost({ dir: join(dir, 'host'), repo: repo.dir, hostname: 'host-a' });
  for (const argv of [
    ['apt-get', ...host.aptOptions, 'update'],
    ['apt-get', ...host.aptOptions, 'install', '-y', `${PCDEMO.name}=${PCDEMO.base}`],
  ]) {
    const result = await host.run(argv);
    if (result.code !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
  }
  return host;
}

async function enroll(host: TestHost, server: AgentServer): Promise<Exit> {
  const args = ['--json', 'agent', 'enroll', '--server', server.url, '--token', await server.enrollToken()];
  return runPatchcastIn(host, [...args, '--state', STATE]);
}

describe.skipIf(!isRoot)('patchcast agent on a test host (root, real apt, real server)', () => {
  let dir: string;
  let host: TestHost;
  let server: AgentServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchcast-agent-int-'));
    host = await prepareHost(dir);
    server = await startAgentServer({
      jobs: [{ assetId: 'host-a', packages: [`${PCDEMO.name}@${PCDEMO.fix}`] }],
    });
    await server.release();
  }, 300_000);

  afterAll(async () => {
    await host?.destroy();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('enrolls, leases its job, installs the target with apt, reports every step and the inventory', async () => {
    const jobId = server.jobIds[0] as string;
    const enrolled = await enroll(host, server);
    expect(enrolled.stderr).toBe('');
    expect(enrolled.code).toBe(0);
    // The asset defaults to the host's name, read from its /etc/hostname.
    expect(JSON.parse(enrolled.stdout)).toMatchObject({ assetId: 'host-a', hostname: 'host-a' });
    const credentialText = await host.executor().readFile(`${STATE}/credential.json`);
    expect(enrolled.stdout).not.toContain(JSON.parse(credentialText ?? '{}').credential);

    const run = await runPatchcastIn(host, [
      '--json',
      'agent',
      'run',
      '--state',
      STATE,
      '--once',
      '--poll-wait',
      '1',
      ...APT_SETTINGS,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ jobs: [{ jobId, outcome: 'succeeded' }] });
    expect(run.stderr).not.toContain(JSON.parse(credentialText ?? '{}').credential);

    expect(await server.job(jobId)).toMatchObject({ status: 'succeeded' });
    expect(await host.installed(PCDEMO.name)).toBe(PCDEMO.fix);
    // At most one effect: dpkg installed the fix once.
    const installs = (await host.dpkgLog()).filter((l) => / install /.test(l) || / upgrade /.test(l));
    expect(installs.filter((l) => l.includes(`${PCDEMO.name}:`) && l.includes(PCDEMO.fix))).toHaveLength(1);
    const kinds = (await server.events(jobId)).map((e) => e.kind);
    expect(kinds).toEqual([
      'lease',
      'step:preflight',
      'step:rehearsal',
      'step:pre-hooks',
      'apply:begin',
      'step:apply',
      'step:restart',
      'step:verify',
      'step:post-hooks',
      'end',
      // The server records the verified version in the store as the job ends.
      'store:packages',
      'store:findings',
    ]);
    const apply = (await server.events(jobId)).find((e) => e.kind === 'apply:begin');
    expect(apply?.data).toMatchObject({ previous: [{ name: PCDEMO.name, version: PCDEMO.base }] });
    // The inventory sent after the job shows the new version in the store.
    const packages = await loadAssetPackages(server.store.db, 'host-a');
    expect(packages.find((p) => p.name === PCDEMO.name)?.version).toBe(PCDEMO.fix);
    // As root on its own running system the agent says of every package whether a process maps it:
    // libc6 (the agent itself maps it) yes, the demo package (no program) no.
    expect(packages.every((p) => typeof p.inUse === 'boolean')).toBe(true);
    expect(packages.find((p) => p.name === 'libc6')?.inUse).toBe(true);
    expect(packages.find((p) => p.name === PCDEMO.name)?.inUse).toBe(false);
    // Nothing is left in flight.
    const journal = JSON.parse((await host.executor().readFile(`${STATE}/journal.json`)) ?? '{}');
    expect(journal.jobs).toEqual([]);
  }, 300_000);

  it('refuses a replayed report under the finished lease, from the API and from a restored journal', async () => {
    const jobId = server.jobIds[0] as string;
    const lease = (await server.events(jobId)).find((e) => e.kind === 'lease');
    const token = lease?.data?.token as number;
    const credential = JSON.parse((await host.executor().readFile(`${STATE}/credential.json`)) ?? '{}');
    const client = new AgentClient({ server: server.url, attempts: 1 }, credential.credential);
    const report = {
      step: 'apply' as const,
      outcome: 'ok' as const,
      startedAt: new Date().toISOString(),
      endedAt: new Date().toISOString(),
      excerpt: 'replayed',
    };
    await expect(client.reportStep(jobId, token, report)).rejects.toMatchObject({
      code: 'ROLLOUT_LEASE_STALE',
    });
    // An agent restored with an old journal holding an undelivered report: it tries, is refused, drops it.
    const journal = {
      schema: 'patchcast.agent-journal/1',
      jobs: [
        {
          jobId,
          token,
          step: 'apply',
          phase: 'ended',
          pending: [{ kind: 'step', report }],
          updatedAt: report.endedAt,
        },
      ],
    };
    const wrote = await host.run(['sh', '-c', 'cat > "$1"', 'sh', `${STATE}/journal.json`], {
      input: JSON.stringify(journal),
    });
    expect(wrote.code).toBe(0);
    const before = (await server.events(jobId)).length;
    const run = await runPatchcastIn(host, [
      'agent',
      'run',
      '--state',
      STATE,
      '--once',
      '--poll-wait',
      '0',
      ...APT_SETTINGS,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/refused the journaled result under token \d+ \(it moved on\); dropped/);
    expect((await server.events(jobId)).length).toBe(before);
    expect(JSON.parse((await host.executor().readFile(`${STATE}/journal.json`)) ?? '{}').jobs).toEqual([]);
    expect(await readFile(join(host.dir, 'u', STATE.slice(1), 'credential.json'), 'utf8')).toContain(
      credential.agentId,
    );
  }, 300_000);
});

describe.skipIf(!isRoot)('patchcast agent killed during apply (root, real apt, real server)', () => {
  let dir: string;
  let host: TestHost;
  let server: AgentServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchcast-agent-kill-'));
    host = await prepareHost(dir);
    server = await startAgentServer({
      jobs: [{ assetId: 'host-a', packages: [`${PCDEMO.name}@${PCDEMO.fix}`] }],
      rollout: ['lease: 3s'],
    });
    await server.release();
  }, 300_000);

  afterAll(async () => {
    await host?.destroy();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('journals the versions before apply; the next lease asks the host and installs once', async () => {
    const jobId = server.jobIds[0] as string;
    expect((await enroll(host, server)).code).toBe(0);
    // apt runs this before dpkg (a constant test script): it names apt's pid, then waits to be killed.
    const hold = 'DPkg::Pre-Invoke::=echo $PPID > /run/pcdemo-apt.pid; sleep 60';
    const first = startPatchcastIn(host, [
      'agent',
      'run',
      '--state',
      STATE,
      '--poll-wait',
      '1',
      ...APT_SETTINGS,
      '--apt-option',
      hold,
    ]);
    const firstExit = collect(first);
    let aptPid: number | undefined;
    for (let i = 0; i < 600 && !aptPid; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const text = await host.executor().readFile('/run/pcdemo-apt.pid');
      aptPid = text ? Number(text.trim()) : undefined;
    }
    expect(aptPid).toBeGreaterThan(1);
    // The machine "crashes" before dpkg ran: the agent and apt die at once.
    process.kill(-(first.pid as number), 'SIGKILL');
    // apt-get runs in its own process group (the executor's): kill that group, sleep and all.
    const stat = await readFile(`/proc/${aptPid}/stat`, 'utf8');
    const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    process.kill(-group, 'SIGKILL');
    await firstExit;
    const journal = JSON.parse((await host.executor().readFile(`${STATE}/journal.json`)) ?? '{}');
    expect(journal.jobs).toMatchObject([
      { jobId, step: 'apply', phase: 'started', previous: [{ name: PCDEMO.name, version: PCDEMO.base }] },
    ]);
    expect(journal.jobs[0].appliedToken).toBe(journal.jobs[0].token);
    expect(await host.installed(PCDEMO.name)).toBe(PCDEMO.base);

    // Restarted once the lease ran out (the server's long poll would wait for that too, but see the
    // report: it returns at once today): the job is leased again, and the host says apply never happened.
    const expires = Date.parse((await server.job(jobId))?.leaseExpiresAt ?? '');
    while (Date.now() <= expires) await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await runPatchcastIn(host, [
      '--json',
      'agent',
      'run',
      '--state',
      STATE,
      '--once',
      '--poll-wait',
      '10',
      ...APT_SETTINGS,
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/in flight \(token \d+, apply\); its next lease re-checks the host/);
    expect(JSON.parse(second.stdout)).toEqual({ jobs: [{ jobId, outcome: 'succeeded' }] });
    expect(await server.job(jobId)).toMatchObject({ status: 'succeeded' });
    expect(await host.installed(PCDEMO.name)).toBe(PCDEMO.fix);
    const installs = (await host.dpkgLog()).filter(
      (l) => / (install|upgrade) /.test(l) && l.includes(PCDEMO.fix),
    );
    expect(installs).toHaveLength(1);
    const events = await server.events(jobId);
    expect(events.filter((e) => e.kind === 'lease')).toHaveLength(2);
    expect(events.filter((e) => e.kind === 'apply:begin')).toHaveLength(1);
    expect(events.find((e) => e.kind === 'step:apply')?.data).toMatchObject({
      outcome: 'ok',
      data: { resumed: true },
    });
  }, 300_000);
});

describe.skipIf(!isRoot)(
  'patchcast agent stopped with SIGTERM during apply (root, real apt, real server)',
  () => {
    let dir: string;
    let host: TestHost;
    let server: AgentServer;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'patchcast-agent-term-'));
      host = await prepareHost(dir);
      server = await startAgentServer({
        jobs: [{ assetId: 'host-a', packages: [`${PCDEMO.name}@${PCDEMO.fix}`] }],
        rollout: ['lease: 3s'],
      });
      await server.release();
    }, 300_000);

    afterAll(async () => {
      await host?.destroy();
      await server?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('lets the running step finish and reports it, then exits; the next run carries on after it', async () => {
      const jobId = server.jobIds[0] as string;
      expect((await enroll(host, server)).code).toBe(0);
      const hold = 'DPkg::Pre-Invoke::=echo $PPID > /run/pcdemo-apt.pid; sleep 2';
      const agent = startPatchcastIn(host, [
        'agent',
        'run',
        '--state',
        STATE,
        '--poll-wait',
        '1',
        ...APT_SETTINGS,
        '--apt-option',
        hold,
      ]);
      const exit = collect(agent);
      for (let i = 0; i < 600; i++) {
        if (await host.executor().readFile('/run/pcdemo-apt.pid')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // What systemd's KillMode=mixed does: SIGTERM to the agent alone, apt keeps running.
      process.kill(agent.pid as number, 'SIGTERM');
      const stopped = await exit;
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stderr).toContain("SIGTERM: finishing the current step's report, then stopping");
      expect(await host.installed(PCDEMO.name)).toBe(PCDEMO.fix);
      let kinds = (await server.events(jobId)).map((e) => e.kind);
      expect(kinds.slice(-2)).toEqual(['apply:begin', 'step:apply']);
      expect(await server.job(jobId)).toMatchObject({ status: 'leased', step: 'apply' });
      const journal = JSON.parse((await host.executor().readFile(`${STATE}/journal.json`)) ?? '{}');
      expect(journal.jobs).toMatchObject([
        { jobId, step: 'apply', phase: 'ended', lastOutcome: 'ok', pending: [] },
      ]);

      const expires = Date.parse((await server.job(jobId))?.leaseExpiresAt ?? '');
      while (Date.now() <= expires) await new Promise((resolve) => setTimeout(resolve, 200));
      const next = await runPatchcastIn(host, [
        '--json',
        'agent',
        'run',
        '--state',
        STATE,
        '--once',
        '--poll-wait',
        '10',
        ...APT_SETTINGS,
      ]);
      expect(next.code, next.stderr).toBe(0);
      expect(JSON.parse(next.stdout)).toEqual({ jobs: [{ jobId, outcome: 'succeeded' }] });
      kinds = (await server.events(jobId)).map((e) => e.kind);
      expect(kinds.filter((k) => k === 'step:apply')).toHaveLength(1);
      expect(kinds.slice(-4)).toEqual(['step:restart', 'step:verify', 'step:post-hooks', 'end']);
      const installs = (await host.dpkgLog()).filter(
        (l) => / (install|upgrade) /.test(l) && l.includes(PCDEMO.fix),
      );
      expect(installs).toHaveLength(1);
    }, 300_000);
  },
);

describe.skipIf(!isRoot)('patchcast agent --root (root, real apt, real server)', () => {
  let dir: string;
  let host: TestHost;
  let server: AgentServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchcast-agent-root-'));
    host = await prepareHost(dir);
    server = await startAgentServer({
      jobs: [{ assetId: 'host-r', packages: [`${PCDEMO.name}@${PCDEMO.fix}`] }],
    });
    await server.release();
  }, 300_000);

  afterAll(async () => {
    await host?.destroy();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('manages the installation rooted at DIR from outside it: commands chrooted, inventory read there', async () => {
    const jobId = server.jobIds[0] as string;
    const root = join(host.dir, 'm');
    const state = join(root, 'var/lib/patchcast-agent-r');
    // The agent runs in the host's mount namespace but not chrooted: only --root points it at the host.
    // Its own namespace has this machine's / read-only, so a command that missed the chroot would fail
    // instead of changing this machine's packages.
    const guard = 'mount -o remount,bind,ro / && exec "$@"';
    const run = (args: string[]) =>
      collect(
        spawn(
          'nsenter',
          [
            `--mount=${join(host.dir, 'ns')}`,
            '--',
            'unshare',
            '-m',
            '--propagation',
            'private',
            'sh',
            '-c',
            guard,
            'sh',
            process.execPath,
            BIN,
            ...args,
          ],
          {
            env: {
              PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
              LANG: 'C',
              LC_ALL: 'C',
              PATCHCAST_FROM_SOURCE: '1',
              TMPDIR: join(root, 'tmp'),
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        ),
      );
    const token = await server.enrollToken();
    const enrolled = await run([
      'agent',
      'enroll',
      '--server',
      server.url,
      '--token',
      token,
      '--state',
      state,
      '--asset',
      'host-r',
    ]);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const agent = await run([
      '--json',
      'agent',
      'run',
      '--state',
      state,
      '--root',
      root,
      '--once',
      '--poll-wait',
      '1',
      ...APT_SETTINGS,
    ]);
    expect(agent.code, agent.stderr).toBe(0);
    expect(JSON.parse(agent.stdout)).toEqual({ jobs: [{ jobId, outcome: 'succeeded' }] });
    expect(await host.installed(PCDEMO.name)).toBe(PCDEMO.fix);
    // The inventory is the host's (its hostname file and dpkg database), not this machine's.
    expect(agent.stderr).toMatch(/inventory \(after a job\): \d+ packages reported for host-r/);
    const packages = await loadAssetPackages(server.store.db, 'host-r');
    expect(packages.find((p) => p.name === PCDEMO.name)?.version).toBe(PCDEMO.fix);
    // The processes running here are not DIR's: usage stays unknown.
    expect(packages.some((p) => 'inUse' in p)).toBe(false);
  }, 300_000);
});
