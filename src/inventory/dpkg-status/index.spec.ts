import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, loadFixture } from '../contract.js';
import { InventoryParseError } from '../errors.js';
import { dpkgStatusFormat } from './index.js';

const dir = new URL('./__fixtures__/', import.meta.url);

// Cutting a status file between two fields leaves well-formed paragraphs; cuts before Status/Version are caught below.
describeInventoryFormat(dpkgStatusFormat, {
  dir,
  fixtures: [{ file: 'status' }],
  truncation: 'undetectable',
});

const parse = (text: string) => dpkgStatusFormat.parse({ path: 'status', content: Buffer.from(text) });

describe('dpkg-status', () => {
  it('reads the real osv-scanner status fragment: adduser 3.118', () => {
    const result = dpkgStatusFormat.parse(loadFixture(dir, 'status'));
    expect(result.packages).toEqual([
      expect.objectContaining({
        ecosystem: 'Debian',
        name: 'adduser',
        version: '3.118',
        sourceName: 'adduser',
        sourceVersion: '3.118',
        purl: 'pkg:deb/debian/adduser@3.118?arch=all',
      }),
    ]);
  });

  it('takes the source package and its own version from Source:, and skips removed packages', () => {
    const result = parse(
      [
        'Package: libssl3',
        'Status: install ok installed',
        'Architecture: amd64',
        'Source: openssl (3.0.15-1~deb12u1)',
        'Version: 3.0.15-1~deb12u1+b1',
        '',
        'Package: libc6',
        'Status: hold ok installed',
        'Source: glibc',
        'Version: 2.36-9+deb12u9',
        '',
        'Package: oldpkg',
        'Status: deinstall ok config-files',
        'Version: 1.0',
        '',
      ].join('\n'),
    );
    expect(result.packages.map((p) => [p.name, p.version, p.sourceName, p.sourceVersion])).toEqual([
      ['libssl3', '3.0.15-1~deb12u1+b1', 'openssl', '3.0.15-1~deb12u1'],
      ['libc6', '2.36-9+deb12u9', 'glibc', '2.36-9+deb12u9'],
    ]);
  });

  it('names the line of a paragraph cut before its Version', () => {
    expect(() =>
      parse(
        'Package: a\nStatus: install ok installed\nVersion: 1\n\nPackage: b\nStatus: install ok installed\n',
      ),
    ).toThrow(/status:line 5: package b has no Version/);
    expect(() => parse('Package: a\nStat')).toThrow(InventoryParseError);
  });

  it('does not claim an apt Packages index (no Status field)', () => {
    expect(dpkgStatusFormat.detect('Packages', 'Package: a\nVersion: 1\nFilename: pool/a.deb\n')).toBe(false);
  });
});
