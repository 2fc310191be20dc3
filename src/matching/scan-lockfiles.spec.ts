import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectInventory } from '../inventory/collect.js';
import { loadOsvAdvisorySource } from './advisory-source.js';
import { scanInventories } from './scan.js';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

async function scan(lockfile: string, advisory: string) {
  const collected = await collectInventory([fixture(`lockfiles/${lockfile}`)]);
  return scanInventories(collected.assets, await loadOsvAdvisorySource(fixture(advisory)));
}

describe('scan of lockfiles whose ecosystems OSV spells ConanCenter and CocoaPods', () => {
  it('finds openssl 3.1.2 in a conan.lock vulnerable to CVE-2023-5363, fixed in 3.1.4', async () => {
    const result = await scan('conan.lock', 'CVE-2023-5363.conan.json');
    expect(result.problems).toEqual([]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      package: { ecosystem: 'ConanCenter', name: 'openssl', version: '3.1.2' },
      vulnerability: { id: 'CVE-2023-5363', severity: 'high' },
      fixedVersions: ['3.0.12', '3.1.4'],
      targetVersion: '3.1.4',
    });
  });

  it('finds AFNetworking 2.5.1 in a Podfile.lock vulnerable to CVE-2015-3996, fixed in 2.5.2', async () => {
    const result = await scan('Podfile.lock', 'CVE-2015-3996.cocoapods.json');
    expect(result.problems).toEqual([]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      package: { ecosystem: 'CocoaPods', name: 'AFNetworking', version: '2.5.1' },
      vulnerability: { id: 'CVE-2015-3996' },
      fixedVersions: ['2.5.2'],
      targetVersion: '2.5.2',
    });
  });
});
