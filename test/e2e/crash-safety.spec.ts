import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_DIR } from '../../src/pipeline/bundled-snapshot.js';
import { runPatchcastInProcess } from '../support/cli-in-process.js';
import { type FindingsState, killPatchcastAt, loadFindingsState } from '../support/crash.js';
import { copyDemoStore } from '../support/demo-store.js';

// Each case spawns a whole `patchcast run` and runs again; on a busy 2-core machine that is minutes.
const CASE_TIMEOUT = 300_000;

describe('a run killed between the steps after matching is finished by the next run', () => {
  let root: string;
  let prepared: string;
  let clean: FindingsState;
  /** A copy of the prepared store: the bundled intelligence synced, no assets yet. */
  const copyPrepared = (name: string) => {
    const home = join(root, name);
    cpSync(prepared, home, { recursive: true });
    return home;
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'patchcast-crash-'));
    prepared = join(root, 'prepared');
    const sync = await runPatchcastInProcess(['sync', '--offline', SNAPSHOT_DIR, '--no-match'], {
      home: prepared,
    });
    expect(sync.code, sync.stderr).toBe(0);
    // A clean run from an empty store, prepared once per test run (test/support/demo-store.ts).
    const home = join(root, 'clean');
    await copyDemoStore(home);
    clean = await loadFindingsState(home);
    expect(clean).toMatchObject({ unscored: 0, withoutDueDate: 0, owed: [] });
    expect(clean.findings.length).toBeGreaterThan(1000);
  }, CASE_TIMEOUT);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it(
    'killed after the match: findings unscored and without due dates until `sync` finishes them',
    async () => {
      const home = copyPrepared('after-match');
      await killPatchcastAt(['run', '--demo'], { home, point: 'match' });
      const crashed = await loadFindingsState(home);
      expect(crashed.findings.length).toBe(clean.findings.length);
      expect(crashed.unscored).toBe(clean.findings.length);
      expect(crashed.owed).toEqual(['vex', 'risk', 'policies']);

      // KEV again from the same data: no advisory changed, so nothing is queued to re-match.
      const sync = await runPatchcastInProcess(['sync', 'kev', '--offline', SNAPSHOT_DIR], { home });
      expect(sync.code, sync.stderr).toBe(0);
      expect(sync.stdout).toContain('finished the VEX, risk and policy steps an interrupted run left');
      expect(await loadFindingsState(home)).toEqual(clean);
    },
    CASE_TIMEOUT,
  );

  it(
    'killed after risk was written, before the policies: the next `patchcast run` sets every due date',
    async () => {
      const home = copyPrepared('after-risk');
      await killPatchcastAt(['run', '--demo'], { home, point: 'risk' });
      const crashed = await loadFindingsState(home);
      expect(crashed.unscored).toBe(0);
      expect(crashed.withoutDueDate).toBeGreaterThan(0);
      expect(crashed.owed).toEqual(['policies']);

      const run = await runPatchcastInProcess(['run', '--demo'], { home });
      expect(run.code, run.stderr).toBe(0);
      expect(await loadFindingsState(home)).toEqual(clean);
    },
    CASE_TIMEOUT,
  );
});
