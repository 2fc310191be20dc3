import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeLocalExecutor } from './executors/local.js';
import { getFencedArgv, makeFencedExecutor } from './host-fence.js';

// Real sh and flock on this machine; the fence files live in a temp dir.
describe('host fence', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-fence-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const fenced = (token: number) =>
    makeFencedExecutor(makeLocalExecutor(), { jobId: 'plan-1/job:host-a', token }, join(dir, 'fence'));
  const append = (line: string) => ['sh', '-c', 'echo "$1" >> "$2"', 'sh', line, join(dir, 'log')];
  const log = () => readFileSync(join(dir, 'log'), 'utf8').trim().split('\n');

  it('runs the commands of the current holder', async () => {
    const first = fenced(1);
    await first.claim();
    expect((await first.run(append('one'))).code).toBe(0);
    expect((await first.run(['sh', '-c', 'exit 3'])).code).toBe(3);
    expect(log()).toEqual(['one']);
  });

  it('refuses a superseded holder on the host, without running its command', async () => {
    const old = fenced(1);
    await old.claim();
    await fenced(2).claim();
    await expect(old.run(append('stale'))).rejects.toMatchObject({ code: 'ROLLOUT_LEASE_STALE' });
    await fenced(2).run(append('new'));
    expect(log()).toEqual(['new']);
  });

  it("waits for an older holder's running command before a new holder reads the host", async () => {
    const old = fenced(1);
    await old.claim();
    // The old command holds the lock until the test creates `go`: no timing, only files.
    const running = old.run([
      'sh',
      '-c',
      'echo started > "$3"; while [ ! -e "$4" ]; do sleep 0.05; done; echo "$1" >> "$2"',
      'sh',
      'old install',
      join(dir, 'log'),
      join(dir, 'started'),
      join(dir, 'go'),
    ]);
    await waitForFile(join(dir, 'started'));
    const next = fenced(2);
    const claimed = next.claim();
    writeFileSync(join(dir, 'go'), '');
    await claimed;
    await next.run(append('new holder reads'));
    await running;
    expect(log()).toEqual(['old install', 'new holder reads']);
  });

  it('lets a command outlive its holder: killed mid-command, the command still finishes on the host', async () => {
    const old = fenced(1);
    await old.claim();
    // A holder process (sh) runs the fenced command and is SIGKILLed while the command waits.
    const [program, ...args] = getFencedArgv(
      [
        'sh',
        '-c',
        'echo started > "$4"; while [ ! -e "$3" ]; do sleep 0.05; done; echo progress; echo "$1" >> "$2"',
        'sh',
        'finished',
        join(dir, 'log'),
        join(dir, 'go'),
        join(dir, 'started'),
      ],
      'plan-1/job:host-a',
      1,
      join(dir, 'fence'),
    );
    // The holder (as a controller would be) is the parent of flock, not flock itself.
    const holder = spawn('sh', ['-c', '"$@"; echo ended', 'holder', program as string, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForFile(join(dir, 'started'));
    holder.kill('SIGKILL');
    holder.stdout?.destroy();
    holder.stderr?.destroy();
    const next = fenced(2);
    const claimed = next.claim();
    writeFileSync(join(dir, 'go'), '');
    await claimed;
    expect(log()).toEqual(['finished']);
  });
});

async function waitForFile(path: string): Promise<void> {
  while (!existsSync(path)) await new Promise((resolve) => setTimeout(resolve, 20));
}
