import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, loadFixture } from '../contract.js';
import { rpmQaFormat, splitSourceRpm } from './index.js';

const dir = new URL('./__fixtures__/', import.meta.url);

describeInventoryFormat(rpmQaFormat, {
  dir,
  fixtures: [{ file: 'rpm-qa.txt' }, { file: 'rpm-qa-epochnum.txt' }],
});

describe('rpm-qa', () => {
  it('reads the documented queryformat: epoch in the version, source from SOURCERPM, no gpg-pubkey', () => {
    const result = rpmQaFormat.parse(loadFixture(dir, 'rpm-qa.txt'));
    expect(result.packages.map((p) => [p.name, p.version, p.sourceName, p.sourceVersion])).toEqual([
      ['bash', '4.2.46-31.el7', 'bash', '4.2.46-31.el7'],
      ['openssl-libs', '1:1.0.2k-16.el7', 'openssl', '1:1.0.2k-16.el7'],
      ['make', '1:3.82-24.el7', 'make', '1:3.82-24.el7'],
      ['kbd-legacy', '1.15.5-15.el7', 'kbd', '1.15.5-15.el7'],
    ]);
    expect(result.packages[1]?.purl).toBe('pkg:rpm/redhat/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1');
  });

  it('reads the NAME EPOCHNUM:VERSION-RELEASE form, dropping a zero epoch', () => {
    const result = rpmQaFormat.parse(loadFixture(dir, 'rpm-qa-epochnum.txt'));
    expect(result.packages.map((p) => p.version)).toEqual([
      '4.2.46-31.el7',
      '1:1.0.2k-16.el7',
      '1:3.82-24.el7',
    ]);
  });

  it('splits source rpm names whose package name holds dashes', () => {
    expect(splitSourceRpm('python-requests-2.6.0-10.el7.src.rpm')).toEqual({
      name: 'python-requests',
      version: '2.6.0-10.el7',
    });
  });

  it('names the line and the queryformat on a foreign line', () => {
    expect(() =>
      rpmQaFormat.parse({ path: 'rpms.txt', content: Buffer.from('bash-4.2.46-31.el7.x86_64\n') }),
    ).toThrow(/rpms.txt:line 1: expected NAME/);
  });
});
