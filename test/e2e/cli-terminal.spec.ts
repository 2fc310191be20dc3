import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/cli.js';

/** Quotes one word for the shell line `script -c` runs (util-linux script takes a command string). */
function quote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

describe('patchcast in a terminal', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-tty-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('run --demo under a pseudo-terminal prints its results and exits (a progress bar kept it alive)', () => {
    const line = [process.execPath, BIN, 'run', '--demo'].map(quote).join(' ');
    // script gives the command a pty for stdin, stdout and stderr; the progress bars draw on it.
    const result = spawnSync('script', ['-qec', line, '/dev/null'], {
      cwd: dir,
      env: {
        ...process.env,
        PATCHCAST_FROM_SOURCE: '1',
        PATCHCAST_HOME: join(dir, 'home'),
        PATCHCAST_DATABASE_URL: '',
        PATCHCAST_CONFIG: '',
      },
      encoding: 'utf8',
      // Far above a run's length on a loaded machine; a hung process is killed here and fails the test.
      timeout: 240_000,
      killSignal: 'SIGKILL',
    });
    expect(result.error).toBeUndefined();
    expect(result.signal).toBeNull();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('First to patch');
  }, 300_000);
});
