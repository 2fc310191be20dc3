import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runPatchcast } from '../support/cli.js';
import { copyDemoStore } from '../support/demo-store.js';

/** A failure a user can read: one line of cause, one of hint, no stack trace. */
function expectCleanFailure(result: CliResult, exit: number, code: string): void {
  expect(result.code).toBe(exit);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(new RegExp(`^error: .+ \\[${code}\\]$`));
  expect(lines[1]).toMatch(/^hint: /);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('patchcast on bad input', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a malformed patchcast.yaml: exit 3, names file and line, and leaves the data alone', async () => {
    const work = join(dir, 'malformed');
    mkdirSync(work);
    await copyDemoStore(join(work, '.patchcast')); // what `patchcast run` leaves there
    const before = readFileSync(join(work, '.patchcast', 'patchcast.db'));
    writeFileSync(join(work, 'patchcast.yaml'), 'windows:\n  - id: nightly\n    groups: [web\n');
    const result = runPatchcast(['run', '--demo'], { cwd: work });
    expectCleanFailure(result, 3, 'CONFIG_INVALID_YAML');
    expect(result.stderr).toContain(`${join(work, 'patchcast.yaml')}:`);
    expect(readFileSync(join(work, '.patchcast', 'patchcast.db')).equals(before)).toBe(true);

    writeFileSync(
      join(work, 'patchcast.yaml'),
      'windows:\n  - id: nightly\n    groups: [web]\n    cron: "0 2 * * *"\n    duration: forever\n',
    );
    const invalid = runPatchcast(['config', 'validate'], { cwd: work });
    expectCleanFailure(invalid, 3, 'CONFIG_INVALID');
    expect(invalid.stderr).toContain('windows[0].duration: expected a duration');
  });

  it('--json prints a machine-readable error and --verbose adds the stack', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'version: 2\n');
    const json = runPatchcast(['config', 'validate', 'bad.yaml', '--json'], { cwd: dir });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: { code: 'CONFIG_INVALID', details: { issues: [expect.stringMatching(/^version: /)] } },
    });
    const verbose = runPatchcast(['config', 'validate', 'bad.yaml', '--verbose'], { cwd: dir });
    expect(verbose.code).toBe(3);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('an unreachable PostgreSQL URL: exit 4, one line, no password echoed', () => {
    const result = runPatchcast(['db', 'status'], {
      cwd: dir,
      env: { PATCHCAST_DATABASE_URL: 'postgres://ops:s3cret@127.0.0.1:1/patchcast' },
    });
    expectCleanFailure(result, 4, 'STORE_UNREACHABLE');
    expect(result.stderr).toContain('127.0.0.1:1');
    expect(result.stderr).not.toContain('s3cret');
  });

  it('a database file that is not SQLite: exit 4, and the file is untouched', () => {
    const home = join(dir, 'not-sqlite');
    mkdirSync(home);
    const content = Buffer.from('name,version\nopenssl,3.0.2\n'.repeat(200));
    writeFileSync(join(home, 'patchcast.db'), content);
    const result = runPatchcast(['run', '--demo'], { cwd: dir, env: { PATCHCAST_HOME: home } });
    expectCleanFailure(result, 4, 'STORE_NOT_SQLITE');
    expect(readFileSync(join(home, 'patchcast.db')).equals(content)).toBe(true);
  });

  it('a SQLite database that belongs to something else is refused, not migrated into', () => {
    const home = join(dir, 'foreign');
    mkdirSync(home);
    execFileSync(
      process.execPath,
      [
        '-e',
        `const D=require('better-sqlite3');const d=new D(${JSON.stringify(join(home, 'patchcast.db'))});d.exec('create table customers(id int)');d.close()`,
      ],
      { cwd: process.cwd() },
    );
    const result = runPatchcast(['run', '--demo'], { cwd: dir, env: { PATCHCAST_HOME: home } });
    expectCleanFailure(result, 4, 'STORE_NOT_SQLITE');
  });

  it('a database migrated by a newer patchcast: exit 4 and a hint to upgrade', () => {
    const home = join(dir, 'newer');
    expect(runPatchcast(['db', 'migrate'], { cwd: dir, env: { PATCHCAST_HOME: home } }).code).toBe(0);
    execFileSync(process.execPath, [
      '-e',
      `const D=require('better-sqlite3');const d=new D(${JSON.stringify(join(home, 'patchcast.db'))});d.prepare("insert into patchcast_migrations(name,timestamp) values ('9999-future','2030-01-01T00:00:00Z')").run();d.close()`,
    ]);
    const result = runPatchcast(['run', '--demo'], { cwd: dir, env: { PATCHCAST_HOME: home } });
    expectCleanFailure(result, 4, 'STORE_SCHEMA_TOO_NEW');
    expect(result.stderr).toContain('9999-future');
    const status = runPatchcast(['db', 'status', '--json'], { cwd: dir, env: { PATCHCAST_HOME: home } });
    expect(JSON.parse(status.stdout)).toMatchObject({ unknown: 1 });
  });

  it('an unknown command or option: exit 2 with usage help', () => {
    const result = runPatchcast(['frobnicate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});

describe('a read-only PATCHCAST_HOME', () => {
  let root: string;
  let mounted = false;
  let skipReason = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'patchcast-ro-'));
    const home = join(root, 'home');
    mkdirSync(home);
    if (process.getuid?.() !== 0) {
      execFileSync('chmod', ['0555', home]);
      return;
    }
    // root writes through permission bits, so only a read-only mount makes the directory read-only.
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', home], { stdio: 'ignore' });
      mounted = true;
    } catch {
      skipReason = 'running as root without permission to mount a read-only tmpfs';
    }
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [join(root, 'home')]);
    rmSync(root, { recursive: true, force: true });
  });

  it('gives exit 4 and names the directory', (ctx) => {
    if (skipReason) {
      console.warn(`skipping read-only home test: ${skipReason}`);
      ctx.skip();
    }
    const home = join(root, 'home');
    const result = runPatchcast(['run', '--demo'], { cwd: root, env: { PATCHCAST_HOME: home } });
    expectCleanFailure(result, 4, 'STORE_NOT_WRITABLE');
    expect(result.stderr).toContain(home);
  });
});
