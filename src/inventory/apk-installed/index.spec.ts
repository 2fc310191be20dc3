import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, loadFixture } from '../contract.js';
import { apkInstalledFormat } from './index.js';

const dir = new URL('./__fixtures__/', import.meta.url);

// A cut between two records (or inside the file list) leaves a well-formed database; cuts before V: are caught.
describeInventoryFormat(apkInstalledFormat, {
  dir,
  fixtures: [{ file: 'installed' }],
  truncation: 'undetectable',
});

const parse = (text: string) => apkInstalledFormat.parse({ path: 'installed', content: Buffer.from(text) });

describe('apk-installed', () => {
  it('reads the real osv-scanner fragment: apk-tools 2.12.10-r1 from origin apk-tools', () => {
    const result = apkInstalledFormat.parse(loadFixture(dir, 'installed'));
    expect(result.packages).toEqual([
      expect.objectContaining({
        ecosystem: 'Alpine',
        name: 'apk-tools',
        version: '2.12.10-r1',
        sourceName: 'apk-tools',
        purl: 'pkg:apk/alpine/apk-tools@2.12.10-r1?arch=x86_64&origin=apk-tools',
      }),
    ]);
  });

  it('uses o: as the source package (Alpine advisories name the aport)', () => {
    const result = parse('P:libcrypto3\nV:3.3.2-r0\nA:x86_64\no:openssl\n\nP:musl\nV:1.2.5-r0\no:musl\n\n');
    expect(result.packages.map((p) => [p.name, p.version, p.sourceName])).toEqual([
      ['libcrypto3', '3.3.2-r0', 'openssl'],
      ['musl', '1.2.5-r0', 'musl'],
    ]);
  });

  it('rejects a record without a version, naming its line', () => {
    expect(() => parse('P:a\nV:1-r0\n\nP:b\nA:x86_64\n')).toThrow(/installed:line 4: package b has no V:/);
  });

  it('rejects a malformed checksum line (a cut copy)', () => {
    expect(() => parse('C:Q1Ef3iw\nP:a\nV:1-r0\n')).toThrow(/malformed C: checksum/);
  });
});
