import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents, openStore } from '../../src/store/index.js';
import { pypiOsvRecord } from '../support/advisories.js';
import { runPatchcastInProcess } from '../support/cli-in-process.js';

const ADVISORY = pypiOsvRecord('TEST-DJANGO-1', 'django', '1.4.3', '2025-06-30');
const DEBIAN_12 =
  'web-1: no advisories for Debian 12 in the store (1 package): results would be incomplete; sync osv for Debian';

/** An agent report: a Debian 12 host with one OS package and django. */
function report(host: string) {
  return {
    schema: 'patchcast.agent-report/1',
    host: { hostname: host },
    os: { id: 'debian', version_id: '12' },
    collectedAt: '2026-02-27T00:00:00Z',
    packages: [
      { name: 'openssl', version: '3.0.15-1~deb12u1', ecosystem: 'Debian:12' },
      { name: 'django', version: '1.4.1', ecosystem: 'PyPI' },
    ],
  };
}

describe('coverage warnings, and assets retire / remove', () => {
  let dir: string;
  const home = () => join(dir, 'home');
  const cli = async (args: string[]) => {
    const result = await runPatchcastInProcess(args, { home: home() });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };
  const json = async (args: string[]) => JSON.parse(await cli([...args, '--json']));
  const findingsOf = async (asset: string, status = 'open,suppressed,excepted,fixed,retired') =>
    (await json(['findings', '--asset', asset, '--status', status])).findings as Array<{ status: string }>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-assets-'));
    mkdirSync(join(dir, 'fleet'));
    mkdirSync(join(dir, 'osv'));
    for (const host of ['web-1', 'web-2'])
      writeFileSync(join(dir, 'fleet', `${host}.json`), JSON.stringify(report(host)));
    writeFileSync(join(dir, 'osv', `${ADVISORY.id}.json`), JSON.stringify(ADVISORY));
    await cli(['sync', 'osv', '--from', join(dir, 'osv')]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('warns per asset that the store has no Debian 12 advisories: import, findings, assets, run, scan', async () => {
    const imported = await json(['inventory', 'import', join(dir, 'fleet')]);
    expect(imported.warnings).toContain(DEBIAN_12);
    expect(await cli(['findings', '--asset', 'web-1'])).toContain(`warning: ${DEBIAN_12}`);
    expect((await json(['findings', '--asset', 'web-1'])).warnings).toEqual([DEBIAN_12]);
    const listed = (await json(['assets'])) as Array<{ id: string; warnings: string[] }>;
    expect(listed.find((a) => a.id === 'web-1')?.warnings).toEqual([DEBIAN_12]);
    expect((await json(['run'])).warnings).toContain(DEBIAN_12);
    const scan = await json(['scan', join(dir, 'fleet', 'web-1.json'), '--advisories', join(dir, 'osv')]);
    expect(scan.warnings).toEqual([DEBIAN_12.replace('in the store', 'in the advisories')]);
    expect(scan.findings).toHaveLength(1);
  });

  it('retire closes the open findings as retired, keeps the asset and its history, and stays so after a run', async () => {
    expect(await findingsOf('web-1')).toMatchObject([{ status: 'open' }]);
    const retired = await json(['assets', 'retire', 'web-1']);
    expect(retired).toMatchObject({ asset: 'web-1', retired: true, findingsRetired: 1, packagesRemoved: 2 });
    await cli(['run']);
    expect(await findingsOf('web-1')).toMatchObject([{ status: 'retired' }]);
    const listed = (await json(['assets'])) as Array<{ id: string; tags: string[]; openFindings: number }>;
    expect(listed.find((a) => a.id === 'web-1')).toMatchObject({ tags: ['retired'], openFindings: 0 });
  });

  it('remove deletes the asset and its findings; the audit log keeps both changes', async () => {
    const removed = await json(['assets', 'remove', 'web-2']);
    expect(removed).toMatchObject({ asset: 'web-2', removed: true, deleted: { assets: 1, findings: 1 } });
    expect(((await json(['assets'])) as Array<{ id: string }>).map((a) => a.id)).toEqual(['web-1']);
    expect(await findingsOf('web-2')).toEqual([]);
    const store = await openStore({ home: home(), databaseUrl: '' });
    try {
      const events = await listAuditEvents(store.db);
      expect(events.filter((e) => e.action.startsWith('asset:')).map((e) => [e.action, e.subject])).toEqual([
        ['asset:retire', 'web-1'],
        ['asset:remove', 'web-2'],
      ]);
    } finally {
      await store.close();
    }
    expect(await cli(['audit', 'verify'])).toBeTruthy();
  });

  it('names the asset and the fix when the id is unknown', async () => {
    const result = await runPatchcastInProcess(['assets', 'retire', 'nope'], { home: home() });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('no asset with id nope');
    expect(result.stderr).toContain('patchcast assets');
  });
});
