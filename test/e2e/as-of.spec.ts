import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pypiOsvRecord } from '../support/advisories.js';
import { runPatchcastInProcess } from '../support/cli-in-process.js';

const ADVISORY = pypiOsvRecord('TEST-DJANGO-1', 'django', '1.4.3', '2025-06-30');

describe('one as-of day across sla, findings, explain and run', () => {
  let dir: string;
  const cli = async (args: string[]) => {
    const result = await runPatchcastInProcess(args, { home: join(dir, 'home') });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchcast-as-of-'));
    mkdirSync(join(dir, 'fleet'));
    mkdirSync(join(dir, 'osv'));
    writeFileSync(
      join(dir, 'fleet', 'web-1.json'),
      JSON.stringify({
        schema: 'patchcast.agent-report/1',
        host: { hostname: 'web-1' },
        os: { id: 'debian', version_id: '12' },
        collectedAt: '2026-02-27T00:00:00Z',
        packages: [{ name: 'django', version: '1.4.1', ecosystem: 'PyPI' }],
      }),
    );
    writeFileSync(join(dir, 'osv', `${ADVISORY.id}.json`), JSON.stringify(ADVISORY));
    // A fake clock for Date only: the day every command must print.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
    await cli(['inventory', 'import', join(dir, 'fleet')]);
    await cli(['sync', 'osv', '--from', join(dir, 'osv')]);
  });
  afterAll(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the same day in every command’s text and JSON output, and names the data’s age', async () => {
    const run = await cli(['run']);
    expect(run).toContain('as of 2026-03-01');
    expect(run).toContain('intelligence data through 2025-06-30');
    expect(JSON.parse(await cli(['run', '--json'])).asOf).toBe('2026-03-01');

    const sla = await cli(['sla']);
    expect(sla).toMatch(/^SLA as of 2026-03-01: /);
    expect(sla).toContain('intelligence data through 2025-06-30');
    expect(JSON.parse(await cli(['sla', '--json'])).asOf).toBe('2026-03-01');

    expect(await cli(['findings'])).toContain('Findings as of 2026-03-01');
    const listed = JSON.parse(await cli(['findings', '--json']));
    expect(listed.asOf).toBe('2026-03-01');
    const id = listed.findings[0]?.id as string;

    expect(await cli(['explain', id])).toContain('Risk as of 2026-03-01:');
    expect(JSON.parse(await cli(['explain', id, '--json'])).asOf).toBe('2026-03-01');
  });

  it('counts the SLA from the day the finding was first seen, not from the advisory', async () => {
    const report = JSON.parse(await cli(['sla', '--json']));
    expect(report.totals.breached).toBe(0);
    expect(JSON.parse(await cli(['findings', '--json'])).findings[0]).toMatchObject({
      firstSeen: expect.stringMatching(/^2026-03-01/),
    });
  });
});
