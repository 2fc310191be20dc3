import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, upsertAsset, upsertFindings } from '../../src/store/index.js';
import { runPatchcastInProcess } from '../support/cli-in-process.js';

/** 23 real lines of Debian's advisory history (openssl 2019–2023 among them). */
const FIXTURE = new URL(
  '../../src/feeds/debian-advisories/__fixtures__/debian_security_advisories.jsonl.gz',
  import.meta.url,
).pathname;

const CONFIG = `windows:
  - { id: nightly, groups: [default], cron: "0 2 * * *", duration: 4h, cutoff: 30m }
`;

/** A Debian 11 host whose openssl needs 1.1.1n-0+deb11u4 (DSA-5343-1). */
async function seedHost(home: string): Promise<void> {
  const store = await openStore({ home, databaseUrl: '' });
  const at = new Date().toISOString();
  try {
    await upsertAsset(
      store.db,
      { id: 'web-1', name: 'web-1', kind: 'host', internetExposed: true, services: ['web'], tags: [] },
      at,
    );
    await upsertFindings(store.db, [
      {
        id: 'f-web-1',
        assetId: 'web-1',
        vulnerabilityId: 'CVE-2023-0286',
        ecosystem: 'Debian:11',
        packageName: 'openssl',
        installedVersion: '1.1.1n-0+deb11u3',
        fixedVersions: ['1.1.1n-0+deb11u4'],
        targetVersion: '1.1.1n-0+deb11u4',
        status: 'open',
        risk: 5,
        firstSeen: at,
        lastSeen: at,
      },
    ]);
  } finally {
    await store.close();
  }
}

interface PlanJson {
  assignments: Array<{
    assetId: string;
    failureProbability: number;
    failureSource: string;
    reasons: string[];
  }>;
}

describe('patch reliability from the store: sync the advisories, then score and plan without --data', () => {
  let dir: string;
  let mirror: string;
  const home = () => join(dir, 'home');
  const cli = (args: string[]) =>
    runPatchcastInProcess(args, { home: home(), env: { PATCHCAST_CONFIG: join(dir, 'patchcast.yaml') } });
  const SCORE = ['reliability', 'score', 'openssl', '1.1.1n-0+deb11u4', '--as-of', '2023-03-01'];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-reliability-'));
    mirror = join(dir, 'mirror');
    mkdirSync(mirror);
    copyFileSync(FIXTURE, join(mirror, 'debian_security_advisories.jsonl.gz'));
    writeFileSync(join(dir, 'patchcast.yaml'), CONFIG);
    await seedHost(home());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('before a sync: score refuses with a coded error saying to sync, and plan uses its default rate', async () => {
    const refused = await cli(['--json', ...SCORE]);
    expect(refused.code).toBe(5);
    const { error } = JSON.parse(refused.stdout || refused.stderr);
    expect(error.code).toBe('STORE_NO_DEBIAN_ADVISORIES');
    expect(error.hint).toContain('patchcast sync');
    expect(error.hint).toContain('--data');

    const plan = await cli(['plan', '--dry-run', '--json', '--greedy']);
    expect(plan.code, plan.stderr).toBe(0);
    const job = (JSON.parse(plan.stdout) as PlanJson).assignments[0];
    expect(job).toMatchObject({ assetId: 'web-1', failureSource: 'default' });
  });

  it('sync --offline takes the advisories in and sync status shows them', async () => {
    const synced = await cli(['sync', '--offline', mirror, '--no-retrain']);
    expect(synced.code, synced.stderr).toBe(0);
    const status = await cli(['sync', 'status', '--json']);
    const row = JSON.parse(status.stdout).find((r: { source: string }) => r.source === 'debian-advisories');
    expect(row).toMatchObject({ records: 23, newest: '2023-02-20', outcome: 'ok' });
  });

  it('reliability score from the store gives the same answer as --data on the same file', async () => {
    const fromStore = await cli(['--json', ...SCORE]);
    expect(fromStore.code, fromStore.stderr).toBe(0);
    const fromDir = await cli(['--json', ...SCORE, '--data', mirror]);
    expect(fromDir.code, fromDir.stderr).toBe(0);
    const answer = JSON.parse(fromStore.stdout);
    expect(answer).toEqual(JSON.parse(fromDir.stdout));
    expect(answer).toMatchObject({ release: 'bullseye', asOf: '2023-03-01' });
    expect(answer.probability).toBeGreaterThan(0);
    expect(answer.factors.length).toBeGreaterThan(0);
    const text = await cli(SCORE);
    expect(text.stdout).toMatch(
      /openssl 1\.1\.1n-0\+deb11u4 \(bullseye\) as of 2023-03-01: P\(regression update\) = /,
    );
    expect(text.stdout).toContain('data: the store');
  });

  it('plan takes the failure probability from the model on the store advisories', async () => {
    const plan = await cli(['plan', '--dry-run', '--json', '--greedy']);
    expect(plan.code, plan.stderr).toBe(0);
    const job = (JSON.parse(plan.stdout) as PlanJson).assignments[0];
    expect(job).toMatchObject({ assetId: 'web-1', failureSource: 'model' });
    expect(job?.failureProbability).toBeGreaterThan(0);
    expect(job?.reasons.join('\n')).toContain('from the patch-reliability model');
  });
});
