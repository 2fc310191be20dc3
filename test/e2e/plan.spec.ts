import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIcsEvents } from '../../src/planning/ics.js';
import { listEventsAfter, openStore, upsertAsset, upsertFindings } from '../../src/store/index.js';
import { runPatchcast } from '../support/cli.js';

const HOSTS = [
  { id: 'canary-1', tags: ['canary'], services: ['web'] },
  { id: 'web-1', tags: [], services: ['web'] },
  { id: 'web-2', tags: [], services: ['web'] },
  { id: 'db-1', tags: [], services: ['db'] },
];

const CONFIG = `windows:
  - { id: nightly, groups: [default], cron: "0 2 * * *", duration: 4h, cutoff: 30m }
rings:
  - { id: canary, select: { tags: [canary] }, soak: 24h }
  - { id: broad }
planning:
  availability:
    services:
      web: { maxDown: 1 }
`;

/** A small store: four hosts with one open finding each (the fifth comes later, as a change). */
async function seed(home: string, hosts: typeof HOSTS): Promise<void> {
  const store = await openStore({ home, databaseUrl: '' });
  const at = new Date().toISOString();
  try {
    for (const [i, h] of hosts.entries()) {
      await upsertAsset(
        store.db,
        { id: h.id, name: h.id, kind: 'host', internetExposed: false, services: h.services, tags: h.tags },
        at,
      );
      await upsertFindings(store.db, [
        {
          id: `f-${h.id}`,
          assetId: h.id,
          vulnerabilityId: 'CVE-2024-0001',
          ecosystem: 'Debian:12',
          packageName: 'openssl',
          installedVersion: '3.0.1',
          fixedVersions: ['3.0.2'],
          targetVersion: '3.0.2',
          status: 'open',
          risk: 1 + i,
          firstSeen: at,
          lastSeen: at,
        },
      ]);
    }
  } finally {
    await store.close();
  }
}

interface PlanJson {
  id: string;
  stored: boolean;
  objective: number;
  bound: number;
  gap: number;
  solveSeconds: number;
  assignments: Array<{ assetId: string; windowId: string; ring: string; start: string; reasons: string[] }>;
}

describe('patchcast plan: store, show, re-plan with a diff, explain, export', () => {
  let dir: string;
  let first: PlanJson;
  const cli = (args: string[]) => {
    const result = runPatchcast(args, { cwd: dir, env: { PATCHCAST_HOME: join(dir, 'home') } });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-plan-'));
    writeFileSync(join(dir, 'patchcast.yaml'), CONFIG);
    await seed(join(dir, 'home'), HOSTS);
    first = JSON.parse(cli(['plan', '--json', '--time-limit', '5']));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores the plan; --json carries objective, bound, gap, solve time and per job asset, window, ring, reasons', () => {
    expect(first).toMatchObject({ stored: true, id: expect.stringMatching(/^plan-/) });
    for (const key of ['objective', 'bound', 'gap', 'solveSeconds'] as const)
      expect(typeof first[key]).toBe('number');
    expect(first.assignments.map((a) => a.assetId).sort()).toEqual(['canary-1', 'db-1', 'web-1', 'web-2']);
    expect(first.assignments.find((a) => a.assetId === 'canary-1')).toMatchObject({
      windowId: 'nightly',
      ring: 'canary',
    });
    const show = cli(['plan', 'show']);
    expect(show).toMatch(new RegExp(`^plan ${first.id} \\(\\w+, stored\\): 4 jobs`));
    expect(show).toMatch(
      /nightly · \w{3} \d{4}-\d{2}-\d{2} 02:00–06:00 UTC · \d jobs?\n {2}ring canary\n {4}02:00–02:\d\d {2}canary-1/,
    );
  });

  it('a change re-plans: the new host is added, frozen jobs move, and diff and explain say why', async () => {
    const broadDay = first.assignments.find((a) => a.ring === 'broad')?.start.slice(0, 10) ?? '';
    const until = new Date(Date.parse(broadDay) + 3 * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(
      join(dir, 'patchcast.yaml'),
      `${CONFIG}freezes:\n  - { id: quarter-end, start: "${broadDay}", end: "${until}" }\n`,
    );
    await seed(join(dir, 'home'), [{ id: 'web-9', tags: [], services: ['web'] }]);

    const second = cli(['plan', '--time-limit', '5']);
    expect(second).toContain(`changes since ${first.id}`);
    expect(second).toMatch(/\+ web-9 \[broad\] {2}nightly \d{4}-\d{2}-\d{2} 02:00 UTC/);

    const diff = JSON.parse(cli(['plan', 'diff', '--json']));
    expect(diff.from).toBe(first.id);
    expect(diff.diff.added).toEqual(['job:web-9']);
    expect(diff.changes.filter((c: { kind: string }) => c.kind === 'moved').length).toBeGreaterThan(0);
    expect(diff.changes.find((c: { kind: string }) => c.kind === 'moved').from).toContain(broadDay);

    const explain = cli(['plan', 'explain', 'db-1']);
    expect(explain).toMatch(
      /^db-1 \(job:db-1\) in plan plan-\S+: ring broad, window nightly, 02:\d\d–02:\d\d UTC/,
    );
    expect(explain).toContain('ring broad: starts after ring canary ends plus its 24 h soak');
    expect(explain).toContain(`nightly on ${broadDay} frozen by 'quarter-end'`);
  });

  it('exports the plan as an ICS calendar that parses back, and as an HTML Gantt with every job', () => {
    const file = join(dir, 'plan.ics');
    expect(cli(['plan', 'show', '--format', 'ics', '--out', file])).toBe(`wrote ${file}\n`);
    const ics = readFileSync(file, 'utf8');
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    const events = parseIcsEvents(ics);
    expect(events.length).toBeGreaterThanOrEqual(3);
    const described = events.map((e) => e.description ?? '').join('\n');
    for (const host of ['canary-1', 'web-1', 'web-2', 'web-9', 'db-1'])
      expect(described).toContain(`] ${host}: openssl@3.0.2`);

    const html = cli(['plan', 'show', '--format', 'html']);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const host of ['canary-1', 'web-1', 'web-2', 'web-9', 'db-1'])
      expect(html).toContain(`<td>${host}</td>`);
  });

  it('plan --format html --out exports the stored plan: no new plan, nothing superseded', () => {
    const before = JSON.parse(cli(['plan', 'list', '--json'])).plans as Array<{ id: string; status: string }>;
    const file = join(dir, 'plan.html');
    expect(cli(['plan', '--format', 'html', '--out', file])).toBe(`wrote ${file}\n`);
    expect(readFileSync(file, 'utf8')).toContain(before[0]?.id ?? 'no plan');
    const after = JSON.parse(cli(['plan', 'list', '--json'])).plans;
    expect(after).toEqual(before);
  }, 120_000);

  it('plan approve approves the draft once, as the CLI user, and announces it to the API', async () => {
    const [latest] = JSON.parse(cli(['plan', 'list', '--json'])).plans as Array<{
      id: string;
      status: string;
    }>;
    const id = latest?.id as string;
    const approved = JSON.parse(cli(['plan', 'approve', id, '--json']));
    expect(approved).toMatchObject({ id, status: 'approved', approvedBy: expect.stringMatching(/^cli:/) });
    expect(JSON.parse(cli(['plan', 'list', '--json'])).plans[0]).toMatchObject({ id, status: 'approved' });
    const again = runPatchcast(['plan', 'approve', id], {
      cwd: dir,
      env: { PATCHCAST_HOME: join(dir, 'home') },
    });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`plan ${id} is approved, not a draft`);
    const store = await openStore({ home: join(dir, 'home'), databaseUrl: '' });
    try {
      const events = await listEventsAfter(store.db, 0, 100);
      expect(events.filter((e) => e.subject === id).map((e) => e.kind)).toEqual([
        'plan:created',
        'plan:approved',
      ]);
    } finally {
      await store.close();
    }
  }, 120_000);
});
