import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPatchcast } from '../support/cli.js';
import { runPatchcastInProcess } from '../support/cli-in-process.js';

/** Two hosts with Python packages; web-1 alone holds django. */
const HOSTS = {
  'web-1': [
    ['django', '1.4.1'],
    ['requests', '2.0.0'],
  ],
  'web-2': [
    ['flask', '0.10'],
    ['requests', '2.0.0'],
  ],
};

function advisory(id: string, name: string, fixed: string) {
  return {
    id,
    modified: '2024-01-01T00:00:00Z',
    published: '2024-01-01T00:00:00Z',
    summary: `${name} before ${fixed}`,
    affected: [
      {
        package: { ecosystem: 'PyPI', name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
  };
}

interface Finding {
  id: string;
  assetId: string;
  vulnerabilityId: string;
  firstSeen: string;
  lastSeen: string;
  status: string;
  targetVersion?: string;
}

describe('patchcast sync re-matches only what the new advisories touch', () => {
  let dir: string;
  const mirror = (name: string, records: ReturnType<typeof advisory>[]) => {
    const path = join(dir, name);
    mkdirSync(path);
    for (const r of records) writeFileSync(join(path, `${r.id}.json`), JSON.stringify(r));
    return path;
  };
  const cli = async (args: string[]) => {
    const result = await runPatchcastInProcess(args, { home: join(dir, 'home') });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };
  const findings = async (): Promise<Finding[]> =>
    JSON.parse(await cli(['findings', '--json', '--limit', '1000'])).findings;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-sync-rematch-'));
    const fleet = join(dir, 'fleet');
    mkdirSync(fleet);
    for (const [host, packages] of Object.entries(HOSTS))
      writeFileSync(
        join(fleet, `${host}.json`),
        JSON.stringify({
          schema: 'patchcast.agent-report/1',
          host: { hostname: host },
          os: { id: 'debian', version_id: '12' },
          collectedAt: '2026-01-01T00:00:00Z',
          packages: packages.map(([name, version]) => ({ name, version, ecosystem: 'PyPI' })),
        }),
      );
    await cli(['inventory', 'import', fleet]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a first sync matches the packages its advisories name', async () => {
    const first = mirror('osv-1', [
      advisory('TEST-REQUESTS-1', 'requests', '2.3.0'),
      advisory('TEST-FLASK-1', 'flask', '0.12.3'),
    ]);
    const out = JSON.parse(await cli(['sync', 'osv', '--from', first, '--json']));
    expect(out.match).toMatchObject({ packages: 2, assets: 2, newFindings: 3, resolvedFindings: 0 });
    expect((await findings()).map((f) => `${f.assetId} ${f.vulnerabilityId}`).sort()).toEqual([
      'web-1 TEST-REQUESTS-1',
      'web-2 TEST-FLASK-1',
      'web-2 TEST-REQUESTS-1',
    ]);
  });

  it('a new advisory re-evaluates one package: its holder gets the finding, the others are untouched', async () => {
    const before = await findings();
    const second = mirror('osv-2', [advisory('TEST-DJANGO-1', 'django', '1.4.3')]);
    // The real binary, once: the summary line a user reads.
    const result = runPatchcast(['sync', 'osv', '--from', second], {
      cwd: dir,
      env: { PATCHCAST_HOME: join(dir, 'home') },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      're-match: 1 package evaluated (1 changed package name), 1 asset touched, 1 new finding, 0 resolved',
    );
    const after = await findings();
    expect(after.filter((f) => f.vulnerabilityId === 'TEST-DJANGO-1')).toMatchObject([
      { assetId: 'web-1', status: 'open' },
    ]);
    const keep = (f: Finding) => [f.id, f.firstSeen, f.lastSeen, f.status];
    expect(after.filter((f) => f.vulnerabilityId !== 'TEST-DJANGO-1').map(keep)).toEqual(before.map(keep));
  });

  it('--no-match leaves the changes queued; the next sync consumes them', async () => {
    const third = mirror('osv-3', [advisory('TEST-FLASK-2', 'flask', '1.0')]);
    const skipped = JSON.parse(await cli(['sync', 'osv', '--from', third, '--no-match', '--json']));
    expect(skipped.match).toEqual({ skipped: '--no-match', queued: 1 });
    expect((await findings()).some((f) => f.vulnerabilityId === 'TEST-FLASK-2')).toBe(false);
    // Nothing new to write this time, but the queue from the skipped run is matched.
    const again = JSON.parse(await cli(['sync', 'osv', '--from', third, '--json']));
    expect(again.reports[0].outcome).toBe('unchanged');
    expect(again.match).toMatchObject({ pendingNames: 1, packages: 1, assets: 1, newFindings: 1 });
    expect((await findings()).filter((f) => f.vulnerabilityId === 'TEST-FLASK-2')).toMatchObject([
      { assetId: 'web-2' },
    ]);
    const idle = JSON.parse(await cli(['sync', 'osv', '--from', third, '--json']));
    expect(idle.match).toBeUndefined();
  });

  it('run re-evaluates every package only with --full-match (after an upgrade of the matcher, say)', async () => {
    // Stands in for stored matches an older matcher got wrong: every stored target version is off.
    const db = new Database(join(dir, 'home', 'patchcast.db'));
    db.prepare("update finding_matches set target_version = '9.9.9'").run();
    db.close();
    const incremental = JSON.parse(await cli(['run', '--demo', '--json']));
    expect(incremental.match).toBe('incremental');
    expect((await findings()).every((f) => f.targetVersion === '9.9.9')).toBe(true);
    const full = JSON.parse(await cli(['run', '--demo', '--full-match', '--json']));
    expect(full.match).toBe('whole');
    expect(full.findings.distinctPackages).toBe(3);
    const targets = Object.fromEntries((await findings()).map((f) => [f.vulnerabilityId, f.targetVersion]));
    expect(targets).toEqual({
      'TEST-REQUESTS-1': '2.3.0',
      'TEST-FLASK-1': '0.12.3',
      'TEST-FLASK-2': '1.0',
      'TEST-DJANGO-1': '1.4.3',
    });
  });
});
