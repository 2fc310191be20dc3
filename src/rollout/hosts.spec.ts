import { describe, expect, it } from 'vitest';
import type { CommandResult, Executor, JobSpec } from './contract.js';
import { connectHost, makeWaitForHost } from './hosts.js';

const spec: JobSpec = {
  jobId: 'p/job:web-1',
  assetId: 'web-1',
  manager: 'apt',
  targets: [{ name: 'openssl', version: '3.0.15-1~deb12u1' }],
  allow: { removals: false, downgrades: false, held: false },
  rehearsal: false,
  hooks: { pre: [], post: [] },
  probes: [],
  reboot: 'if-required',
  restartServices: true,
  refresh: true,
};

function scripted(answers: Array<CommandResult | Error>): Executor & { calls: number } {
  const executor = {
    kind: 'ssh' as const,
    calls: 0,
    async run() {
      const answer = answers[Math.min(executor.calls++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return answer as CommandResult;
    },
    async readFile() {
      return undefined;
    },
    async close() {},
  };
  return executor;
}

describe('hosts', () => {
  it('waits for a rebooted host until it answers with an uptime shorter than the wait', async () => {
    const executor = scripted([
      { code: 0, stdout: '86400.50 1000.00\n', stderr: '' }, // not down yet: up for a day
      new Error('connection refused'), // down
      { code: 0, stdout: '12.00 3.00\n', stderr: '' }, // back, booted 12 s ago
    ]);
    // A clock that moves 10 s per reading: the third answer comes 30 s after the reboot was asked for.
    let t = 0;
    await makeWaitForHost(executor, { limitMs: 600_000, pollMs: 0, now: () => (t += 10_000) })();
    expect(executor.calls).toBe(3);
  });

  it('gives up on a host that never comes back', async () => {
    const executor = scripted([new Error('connection refused')]);
    let t = 0;
    await expect(
      makeWaitForHost(executor, { limitMs: 60_000, pollMs: 0, now: () => (t += 10_000) })(),
    ).rejects.toMatchObject({
      code: 'HOST_UNREACHABLE',
    });
  });

  it('names the unreadable key file of an ssh entry', () => {
    expect(() =>
      connectHost(
        {
          executor: 'ssh',
          ssh: {
            host: '127.0.0.1',
            port: 22,
            user: 'root',
            privateKey: '/nonexistent/key',
            knownHosts: '/nonexistent/kh',
            sudo: false,
          },
        },
        spec,
      ),
    ).toThrow(/privateKey \/nonexistent\/key for web-1 cannot be read/);
    expect(() => connectHost({ executor: 'agent' }, spec)).toThrow(/patched by its own agent/);
  });
});
