import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPatchcastInProcess } from '../support/cli-in-process.js';
import { copyDemoStore } from '../support/demo-store.js';

interface Item {
  findingId: string;
  assetId: string;
  packageName: string;
  cve: string | null;
  kev: boolean;
  dueDate: string | null;
  daysOverdue: number | null;
  rule: string;
  exceptionId?: string;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The exim4 exception the tests add or request: CVE-2018-6789, the mail team's, 30 days unless told. */
const eximException = (expires = inDays(30), reason = 'relay only reachable from the app subnet') => [
  '--scope',
  'vulnerability',
  '--id',
  'CVE-2018-6789',
  '--owner',
  'mail-team',
  '--reason',
  reason,
  '--expires',
  expires,
];

describe('SLAs and exceptions on the demo fleet, through the CLI', () => {
  let dir: string;
  // In-process: the same program as bin/patchcast.js without a process start-up per command.
  const cli = (args: string[]) => runPatchcastInProcess(args, { home: join(dir, '.patchcast') });
  const json = async (args: string[]) => {
    const result = await cli([...args, '--json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };
  const exim = async () =>
    (await json(['findings', '--asset', 'orders-db-01', '--vulnerability', 'DEBIAN-CVE-2018-6789']))
      .findings as Array<{
      status: string;
      suppression?: { kind: string; ref: string };
    }>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-sla-'));
    await copyDemoStore(join(dir, '.patchcast'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sla counts a KEV finding’s CISA window from first detection: none is overdue on a first run', async () => {
    const report = await json(['sla']);
    expect(report.rules[0]).toMatchObject({ rule: 'kev', breached: 0 });
    expect(report.rules[0].total).toBeGreaterThan(10);
    expect((report.breached as Item[]).filter((i) => i.rule === 'kev')).toEqual([]);
    expect((await cli(['sla'])).stdout).toMatch(/^SLA as of \d{4}-\d{2}-\d{2}: \d+ breached/);
  });

  it('a policy whose KEV rule starts the clock at the listing shows them breached by CISA’s due dates', async () => {
    const config = join(dir, 'kev-listed.yaml');
    writeFileSync(
      config,
      [
        'policies:',
        '  sla:',
        '    - { id: kev, when: { kev: true }, due: kev-due-date, clockStart: kev-listed }',
        '    - { id: default, due: 180 }',
      ].join('\n'),
    );
    const result = await runPatchcastInProcess(['sla', '--json'], {
      home: join(dir, '.patchcast'),
      env: { PATCHCAST_CONFIG: config },
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const kev = (report.breached as Item[]).filter((i) => i.rule === 'kev');
    expect(kev.length).toBeGreaterThan(10);
    expect(
      kev.every((i) => i.kev && i.dueDate !== null && i.dueDate < '2023-01-01' && (i.daysOverdue ?? 0) > 365),
    ).toBe(true);
    const eximDue = kev.filter((i) => i.cve === 'CVE-2018-6789' && i.assetId === 'orders-db-01');
    expect(eximDue.map((i) => i.dueDate)).toEqual(['2022-05-03', '2022-05-03', '2022-05-03', '2022-05-03']);
    expect(report.rules[0]).toMatchObject({ rule: 'kev', breached: kev.length });
  });

  it('refuses exceptions that break the policy, with the fix', async () => {
    const add = (expires: string) => ['exceptions', 'add', ...eximException(expires, 'relay firewalled')];
    const past = await cli([...add('2020-01-01'), '--approver', 'ciso']);
    expect(past.code).toBe(5);
    expect(past.stderr).toContain('--expires 2020-01-01 is in the past');
    expect((await cli([...add(inDays(200)), '--approver', 'ciso'])).stderr).toContain(
      'policies.exceptions.maxDays allows 90',
    );
    expect((await cli(add(inDays(30)))).stderr).toContain('--approver is required');
    expect(
      (
        await cli([
          'exceptions',
          'add',
          '--scope',
          'team',
          '--id',
          'x',
          '--owner',
          'o',
          '--reason',
          'r',
          '--expires',
          inDays(3),
        ])
      ).code,
    ).toBe(2);
  });

  it('an exception for a vulnerability excepts its findings: visible, counted, and kept across runs', async () => {
    const added = await json([
      'exceptions',
      'add',
      ...eximException(),
      '--approver',
      'ciso',
      '--control',
      'port 25 firewalled',
    ]);
    expect(added).toMatchObject({ covers: 4, exception: { scope: 'vulnerability', approver: 'ciso' } });
    const id = added.exception.id as string;
    expect((await exim()).map((f) => [f.status, f.suppression?.kind, f.suppression?.ref])).toEqual(
      Array(4).fill(['excepted', 'exception', id]),
    );
    const report = await json(['sla']);
    expect(report.totals.paused).toBe(4);
    expect((report.paused as Item[]).every((i) => i.exceptionId === id)).toBe(true);
    expect((report.breached as Item[]).some((i) => i.cve === 'CVE-2018-6789')).toBe(false);
    expect((await json(['exceptions', 'list'])).exceptions).toMatchObject([
      { id, state: 'active', covers: 4 },
    ]);

    expect((await cli(['run'])).code).toBe(0);
    expect((await exim()).every((f) => f.status === 'excepted')).toBe(true);
  });

  it('revoking it opens the findings again; the exception stays listed with --all and in the audit log', async () => {
    const [exception] = (await json(['exceptions', 'list'])).exceptions;
    expect(await json(['exceptions', 'revoke', exception.id])).toMatchObject({
      id: exception.id,
      reopened: 4,
    });
    expect((await exim()).every((f) => f.status === 'open' && f.suppression === undefined)).toBe(true);
    expect((await json(['exceptions', 'list'])).exceptions).toEqual([]);
    expect((await json(['exceptions', 'list', '--all'])).exceptions).toMatchObject([
      { id: exception.id, state: 'revoked', covers: 0 },
    ]);
    expect((await json(['sla'])).totals.paused).toBe(0);
    const again = await cli(['exceptions', 'revoke', exception.id]);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('already revoked');
    expect((await cli(['audit', 'verify', '--json'])).stdout).toContain('"ok": true');
  });

  it('a requested exception excepts nothing until approved, once, with the approver named', async () => {
    const requested = await json(['exceptions', 'request', ...eximException()]);
    const requestId = requested.requestId as string;
    expect(requestId).toMatch(/^EXR-/);
    expect((await exim()).every((f) => f.status === 'open')).toBe(true);
    const approved = await json(['exceptions', 'approve', requestId]);
    expect(approved).toMatchObject({ covers: 4, exception: { approver: expect.stringMatching(/^cli:/) } });
    expect((await exim()).every((f) => f.status === 'excepted')).toBe(true);
    const again = await cli(['exceptions', 'approve', requestId]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('approved already');
  });
});
