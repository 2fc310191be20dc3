import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { runPatchcast } from '../support/cli.js';

describe('patchcast, first steps as a user takes them', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-first-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its version and help', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(runPatchcast(['--version'], { cwd: dir }).stdout.trim()).toBe(pkg.version);
    const help = runPatchcast(['db', '--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('migrate');
    expect(help.stdout).toContain('status');
  });

  // Two whole runs, the first on an empty store: minutes on a busy 2-core machine.
  it('runs on built-in defaults with nothing configured, creating the SQLite store', {
    timeout: 600_000,
  }, () => {
    const result = runPatchcast(['run', '--demo'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`sqlite ${join(dir, '.patchcast', 'patchcast.db')}`);
    const json = JSON.parse(runPatchcast(['run', '--demo', '--json'], { cwd: dir }).stdout);
    expect(json).toMatchObject({
      store: { dialect: 'sqlite', location: join(dir, '.patchcast', 'patchcast.db') },
      assets: 8,
    });
    const status = JSON.parse(runPatchcast(['db', 'status', '--json'], { cwd: dir }).stdout);
    expect(status.latest).toBe(MIGRATIONS.at(-1)?.name);
  });

  it('init writes a starter config that validates, and refuses to overwrite it', () => {
    expect(runPatchcast(['init'], { cwd: dir }).code).toBe(0);
    const validate = runPatchcast(['config', 'validate', '--json'], { cwd: dir });
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ valid: true, windows: 2, rings: 4 });
    const again = runPatchcast(['init'], { cwd: dir });
    expect(again.code).toBe(7);
    expect(again.stderr).toContain('CONFIG_EXISTS');
  });

  it('db status and db migrate report the schema', () => {
    const status = JSON.parse(runPatchcast(['db', 'status', '--json'], { cwd: dir }).stdout);
    expect(status).toMatchObject({ dialect: 'sqlite', pending: 0, unknown: 0 });
    expect(status.migrations.map((m: { name: string }) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(status.migrations.every((m: { appliedAt: string | null }) => m.appliedAt !== null)).toBe(true);
    expect(runPatchcast(['db', 'migrate'], { cwd: dir }).stdout).toContain('up to date');
    expect(runPatchcast(['audit', 'verify', '--json'], { cwd: dir }).stdout).toContain('"ok": true');
  });
});
