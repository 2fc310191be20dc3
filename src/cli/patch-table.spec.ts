import { describe, expect, it } from 'vitest';
import type { Patch } from '../matching/patches.js';
import { formatPatchTable, PATCH_TABLE_WIDTH } from './patch-table.js';

const patch = (over: Partial<Patch>): Patch => ({
  id: 'orders-db-01/debian/exim4',
  asset: 'orders-db-01',
  ecosystem: 'Debian:9',
  package: 'exim4',
  installedVersion: '4.89-2+deb9u2',
  targetVersion: '4.89-2+deb9u8',
  binaries: ['exim4', 'exim4-base'],
  vulnerabilities: ['DEBIAN-CVE-2019-10149'],
  findings: 2,
  riskRemoved: 5.526,
  due: '2022-05-03',
  ...over,
});

describe('formatPatchTable', () => {
  it('keeps every line within 120 columns and every patch id whole', () => {
    const long = patch({
      id: 'registry.example.com-team-python_3.5_2017-01-02/debian/linux-signed-amd64',
      package: 'linux-signed-amd64',
      installedVersion: '4.9.65-3+deb9u1+really.a.very.long.version.string',
      targetVersion: '4.9.320-2+deb9u1+really.a.very.long.version.string',
    });
    const lines = formatPatchTable([patch({}), long]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(PATCH_TABLE_WIDTH);
    expect(lines[2]).toContain(long.id);
    expect(lines[2]).toContain('…');
    expect(lines[1]).toContain('exim4 4.89');
    expect(formatPatchTable([patch({})])[1]).toContain('exim4 4.89-2+deb9u2 → 4.89-2+deb9u8');
    expect(lines[1]).toContain('2022-05-03');
  });
});
