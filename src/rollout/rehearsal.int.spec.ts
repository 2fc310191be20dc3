import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRehearsalArgv } from './rehearsal.js';

// Mount namespaces and mounts need root (CI runs as root); this machine's own root is the lower layer.
const isRoot = process.getuid?.() === 0;
const scratchParent = mkdtempSync(join(tmpdir(), 'patchcast-rehearsal-'));

function rehearse(commands: string[][]) {
  const [program, ...args] = makeRehearsalArgv(commands, { scratch: join(scratchParent, 's') });
  return spawnSync(program!, args, { encoding: 'utf8' });
}

describe.skipIf(!isRoot)('rehearsal on this machine (root)', () => {
  afterAll(() => rmSync(scratchParent, { recursive: true, force: true }));

  it('lets the commands write anywhere and keeps none of it', () => {
    // A new file in /etc, and the removal of one this test made (never one the machine needs).
    const marker = `/etc/patchcast-rehearsal-${process.pid}`;
    const victim = join(scratchParent, 'victim');
    writeFileSync(victim, 'still here\n');
    const result = rehearse([
      ['sh', '-c', 'echo rehearsed > "$1" && rm -f "$2"', 'sh', marker, victim],
      ['cat', marker],
      ['test', '!', '-e', victim],
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('rehearsed\n');
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(victim, 'utf8')).toBe('still here\n');
  });

  it('exits with the first failing command and runs nothing after it', () => {
    const result = rehearse([['true'], ['sh', '-c', 'exit 7'], ['echo', 'not reached']]);
    expect(result.status).toBe(7);
    expect(result.stdout).toBe('');
  });

  it('passes arguments through literally', () => {
    const result = rehearse([['printf', '%s|', '$(id)', '; echo x', '*']]);
    expect(result.stdout).toBe('$(id)|; echo x|*|');
  });

  it('keeps the processes, kernel settings and disks of the host out of reach', () => {
    const script = [
      'test ! -e "/proc/$1" || exit 11',
      '! kill -0 "$1" 2>/dev/null || exit 12',
      '! { echo 1 > /proc/sys/vm/drop_caches; } 2>/dev/null || exit 13',
      'test -z "$(find /dev -type b)" || exit 14',
      'echo ok > /dev/null || exit 15',
    ].join('\n');
    const result = rehearse([['sh', '-c', script, 'sh', String(process.pid)]]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('forbids maintainer scripts to start services (policy-rc.d answers 101)', () => {
    const result = rehearse([['/usr/sbin/policy-rc.d', 'ssh', 'start']]);
    expect(result.status).toBe(101);
  });
});
