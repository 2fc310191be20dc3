import { describe, expect, it } from 'vitest';
import { getPatchId, isPatchIdShape, makePatches, type PatchFinding } from './patches.js';

const exim = (bin: string, vuln: string, target: string, risk: number, dueDate: string): PatchFinding => ({
  id: `${bin}-${vuln}`,
  assetId: 'orders-db-01',
  vulnerabilityId: vuln,
  ecosystem: 'Debian:9',
  packageName: bin,
  installedVersion: '4.89-2+deb9u2',
  targetVersion: target,
  risk,
  dueDate,
  sourceName: 'exim4',
  sourceVersion: '4.89-2+deb9u2',
});

describe('makePatches', () => {
  it('groups the binaries of one source package on one asset into one patch (exim4, CVE-2019-10149)', () => {
    const findings = ['exim4', 'exim4-base', 'exim4-config', 'exim4-daemon-light'].flatMap((bin) => [
      exim(bin, 'DEBIAN-CVE-2019-10149', '4.89-2+deb9u4', 0.4, '2022-07-10'),
      exim(bin, 'DEBIAN-CVE-2018-6789', '4.89-2+deb9u3', 0.1, '2022-05-03'),
    ]);
    const [patch, ...rest] = makePatches(findings);
    expect(rest).toEqual([]);
    expect(patch).toMatchObject({
      id: 'orders-db-01/debian/exim4',
      asset: 'orders-db-01',
      package: 'exim4',
      installedVersion: '4.89-2+deb9u2',
      targetVersion: '4.89-2+deb9u4',
      binaries: ['exim4', 'exim4-base', 'exim4-config', 'exim4-daemon-light'],
      vulnerabilities: ['DEBIAN-CVE-2018-6789', 'DEBIAN-CVE-2019-10149'],
      findings: 8,
      due: '2022-05-03',
    });
    expect(patch?.riskRemoved).toBeCloseTo(2, 9);
  });

  it('targets the highest version by the ecosystem order, not the last one seen or text order', () => {
    // dpkg: deb9u10 > deb9u8, though "deb9u10" < "deb9u8" as text; PEP 440: 2.10 > 2.9.
    const debian = makePatches([
      exim('exim4', 'A', '4.89-2+deb9u10', 0.1, '2022-01-01'),
      exim('exim4', 'B', '4.89-2+deb9u8', 0.1, '2022-01-01'),
    ]);
    expect(debian[0]?.targetVersion).toBe('4.89-2+deb9u10');
    const pypi = makePatches(
      ['2.10', '2.9.1'].map((targetVersion, i) => ({
        id: `f${i}`,
        assetId: 'app',
        vulnerabilityId: `PYSEC-${i}`,
        ecosystem: 'PyPI',
        packageName: 'jinja2',
        installedVersion: '2.8',
        targetVersion,
      })),
    );
    expect(pypi).toHaveLength(1);
    expect(pypi[0]).toMatchObject({ package: 'jinja2', targetVersion: '2.10', riskRemoved: 0, due: null });
  });

  it('keeps assets and ecosystems apart, sorts by risk removed, and a lockfile package is its own patch', () => {
    const patches = makePatches([
      exim('exim4', 'A', '4.89-2+deb9u4', 0.1, '2022-01-01'),
      { ...exim('exim4', 'A', '4.89-2+deb9u4', 0.3, '2022-01-01'), assetId: 'mail-02' },
      {
        id: 'n1',
        assetId: 'mail-02',
        vulnerabilityId: 'GHSA-1',
        ecosystem: 'npm',
        packageName: '@babel/traverse',
        installedVersion: '7.22.0',
        targetVersion: '7.23.2',
        risk: 0.2,
      },
    ]);
    expect(patches.map((p) => p.id)).toEqual([
      'mail-02/debian/exim4',
      'mail-02/npm/@babel/traverse',
      'orders-db-01/debian/exim4',
    ]);
    expect(patches.every((p) => isPatchIdShape(p.id))).toBe(true);
  });

  it('patch ids are stable and never look like a CVE or a finding id', () => {
    expect(getPatchId('web', 'Ubuntu:22.04:LTS', 'openssl')).toBe('web/ubuntu/openssl');
    expect(isPatchIdShape('CVE-2024-3094')).toBe(false);
    expect(isPatchIdShape('00000000000600000102')).toBe(false);
  });
});
