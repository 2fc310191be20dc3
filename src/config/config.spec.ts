import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PatchcastError } from '../core/errors.js';
import { getConfigJsonSchema, loadConfig, readConfig, STARTER_CONFIG } from './index.js';

function errorOf(fn: () => unknown): PatchcastError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PatchcastError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('patchcast.yaml', () => {
  it('the starter config written by `patchcast init` is valid and normalized', () => {
    const config = readConfig(STARTER_CONFIG, '/etc/patchcast/patchcast.yaml', {});
    expect(config.store.home).toBe('/etc/patchcast/.patchcast'); // store.home is relative to the file
    expect(config.windows[0]).toMatchObject({
      id: 'weekly-tuesday',
      durationMinutes: 240,
      cutoffMinutes: 30,
    });
    expect(config.rings.map((r) => [r.id, r.soakMinutes])).toEqual([
      ['canary', 1440],
      ['pilot', 1440],
      ['broad', 720],
      ['critical', 0],
    ]);
    expect(config.policies.sla[0]).toMatchObject({ id: 'kev', due: 'kev-due-date' });
    expect(config.risk.weights.kev).toBe(0.3);
    expect(config.risk.weights.drift).toBe(0.05);
  });

  it('defaults apply to an empty file, and PATCHCAST_HOME overrides store.home', () => {
    const config = readConfig('', '/srv/p/patchcast.yaml', { PATCHCAST_HOME: '/var/lib/patchcast' });
    expect(config.store.home).toBe('/var/lib/patchcast');
    expect(config.policies.exceptions).toEqual({ maxDays: 90, requireApprover: true, pausesSla: true });
  });

  it('names the file, line and column of a YAML syntax error', () => {
    const error = errorOf(() => readConfig('windows: [\n  a: 1\n', 'bad.yaml', {}));
    expect(error.code).toBe('CONFIG_INVALID_YAML');
    expect(error.message).toMatch(/^bad\.yaml:\d+:\d+: /);
  });

  it('reports every shape error as path: message, including unknown keys', () => {
    const text =
      'windows:\n  - id: Nightly\n    groups: [web]\n    cron: "0 2 * * *"\n    duration: 4 hours\nrisk:\n  weights:\n    kevv: 1\n';
    const error = errorOf(() => readConfig(text, 'p.yaml', {}));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details.issues).toEqual([
      'windows[0].id: expected an id of lowercase letters, digits, . _ -',
      'windows[0].duration: expected a duration such as 30m, 4h, 2d or 1h30m',
      'risk.weights.kevv: unknown key; check its spelling against the schema',
    ]);
  });

  it('rejects sections that nothing reads yet, saying they are planned and to remove them', () => {
    const text = [
      'rings:',
      '  - { id: canary, select: { tags: [canary] }, maxFailureRate: 0 }',
      '  - { id: broad, requireApproval: true }',
      'integrations:',
      '  webhooks: [{ id: soc, url: "https://hooks.example.com/p" }]',
    ].join('\n');
    const error = errorOf(() => readConfig(text, 'p.yaml', {}));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details.issues).toEqual([
      'rings[0].maxFailureRate: renamed: use errorBudget (a count such as 2 or a share such as 5%)',
      'rings[1].requireApproval: renamed: use approval: required',
      'integrations: not supported yet (planned: webhooks, Jira, ServiceNow, syslog/CEF, Splunk); remove this section',
    ]);
    expect(error.message).toMatch(/^p\.yaml: rings\[0\]\.maxFailureRate: renamed: use errorBudget/);
    const schema = getConfigJsonSchema() as {
      properties: { rings: { items: { properties: object } } };
    };
    expect(schema.properties).not.toHaveProperty('integrations');
    expect(schema.properties.rings.items.properties).not.toHaveProperty('maxFailureRate');
  });

  it('checks rules across fields: unique ids, schedules, time zones, cutoffs, freeze dates', () => {
    const text = [
      'windows:',
      '  - { id: w, groups: [a], cron: "61 * * * *", duration: 1h, cutoff: 1h, timezone: Mars/Olympus }',
      '  - { id: w, groups: [a], duration: 1h }',
      'freezes:',
      '  - { id: f, start: 2026-12-31, end: 2026-12-01 }',
    ].join('\n');
    const issues = errorOf(() => readConfig(text, 'p.yaml', {})).details.issues as string[];
    expect(issues).toContain('windows[1].id: "w" is already used by windows[0]');
    expect(issues).toContain(
      'windows[0].timezone: unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Berlin)',
    );
    expect(issues.some((i) => i.startsWith('windows[0].cron: '))).toBe(true);
    expect(issues).toContain("windows[0].cutoff: must be shorter than the window's duration (1h)");
    expect(issues).toContain('windows[1]: give exactly one of cron or rrule');
    expect(issues).toContain('freezes[0].end: must be after start (2026-12-31)');
  });

  it('accepts a one-day freeze given as the same bare date for start and end', () => {
    const text = ['freezes:', '  - { id: boxing-day, start: 2026-12-26, end: 2026-12-26 }'].join('\n');
    expect(readConfig(text, 'p.yaml', {}).freezes).toHaveLength(1);
  });

  it('loads from a file; a named file that does not exist is an error, an absent default is not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchcast-config-'));
    const file = join(dir, 'patchcast.yaml');
    writeFileSync(file, 'store:\n  home: data\n');
    expect(loadConfig(file, {}).store.home).toBe(join(dir, 'data'));
    expect(errorOf(() => loadConfig(join(dir, 'missing.yaml'), {})).code).toBe('CONFIG_NOT_FOUND');
  });

  it('the published JSON schema is the one generated from the zod schema (run scripts/generate-config-schema.ts)', () => {
    const published = JSON.parse(
      readFileSync(new URL('../../schema/patchcast.schema.json', import.meta.url), 'utf8'),
    );
    expect(published).toEqual(getConfigJsonSchema());
    expect(published.properties.windows.items.required).toEqual(['id', 'groups', 'duration']);
  });
});
