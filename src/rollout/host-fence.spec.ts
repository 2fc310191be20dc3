import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeLocalExecutor } from './executors/local.js';
import { makeFencedExecutor } from './host-fence.js';

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
    const running = old.run([
      'sh',
      '-c',
      'sleep 0.5; echo "$1" >> "$2"',
      'sh',
      'old install',
      join(dir, 'log'),
    ]);
    // Let the old command take the lock before the new holder claims.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const next = fenced(2);
    await next.claim();
    await next.run(append('new holder reads'));
    await running;
    expect(log()).toEqual(['old install', 'new holder reads']);
  });
});
