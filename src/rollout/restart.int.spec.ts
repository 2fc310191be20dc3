import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makeLocalExecutor } from './executors/local.js';
import { getPackageManager } from './package-managers/index.js';
import { findPackagesInUse, findStaleProcesses } from './restart.js';

// Read-only on this machine, except one process of the test's own, in a mount namespace of its own.
const isRoot = process.getuid?.() === 0;
const hasDpkg = spawnSync('dpkg-query', ['--version']).status === 0;

describe.skipIf(!isRoot || !hasDpkg)('restart on this machine (root, dpkg)', () => {
  it('names the packages whose files running processes map, this test runner among them', async () => {
    const inUse = await findPackagesInUse(makeLocalExecutor(), getPackageManager('apt'));
    const libc = inUse.find((entry) => entry.name === 'libc6');
    expect(libc?.pids).toContain(process.pid);
  });

  it('finds a process that still runs a program deleted after it started', async () => {
    // /opt in a private mount namespace is a fresh tmpfs: the copy of sleep lives and dies there.
    const script =
      'mount -t tmpfs pc-test /opt && cp /bin/sleep /opt/pc-sleep && /opt/pc-sleep 120 & sleep 1; rm -f /opt/pc-sleep; wait';
    const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], {
      stdio: 'ignore',
    });
    let found: Awaited<ReturnType<typeof findStaleProcesses>> = [];
    try {
      for (let attempt = 0; attempt < 50 && found.length === 0; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        found = (await findStaleProcesses(makeLocalExecutor())).filter((p) =>
          p.files.includes('/opt/pc-sleep'),
        );
      }
      expect(found).toHaveLength(1);
      expect(found[0]?.command).toBe('pc-sleep');
    } finally {
      for (const process of found) killQuietly(process.pid);
      child.kill();
    }
  });
});

function killQuietly(pid: number): void {
  try {
    process.kill(pid);
  } catch {
    // Already gone.
  }
}
