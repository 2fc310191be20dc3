import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { podfileLockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  podfileLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'ios/Podfile.lock',
);

describe('podfile-lock', () => {
  it('detects Podfile.lock only', () => {
    expect(podfileLockFormat.detect('Podfile.lock', 'PODS:')).toBe(true);
    expect(podfileLockFormat.detect('Podfile', "platform :ios, '13.0'")).toBe(false);
  });

  it('folds subspecs into their pod and marks the Podfile dependencies direct', () => {
    const { packages, warnings } = parse(fixture('Podfile.lock'));
    expect(warnings).toEqual([]);
    expect(packages.map((p) => [p.name, p.version, p.direct])).toEqual([
      ['Alamofire', '5.6.4', true],
      ['AppCenter', '4.2.0', true],
      ['KeychainAccess', '4.2.1', true],
      ['SDWebImage', '5.13.2', true],
    ]);
    expect(packages[1]).toEqual({
      ecosystem: 'CocoaPods',
      name: 'AppCenter',
      version: '4.2.0',
      purl: 'pkg:cocoapods/AppCenter@4.2.0',
      location: '/PODS/1',
      direct: true,
    });
  });

  // Deliberate difference: Trivy reports AppCenter/Analytics, AppCenter/Core… as separate packages;
  // OSV's CocoaPods advisories name the pod, so subspecs fold into `AppCenter`.
  it("reads Trivy's happy.lock as one AppCenter pod, not four subspecs", () => {
    expect(parse(fixture('trivy-happy.Podfile.lock')).packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'AppCenter@4.2.0',
      'KeychainAccess@4.2.1',
    ]);
  });

  it('names a PODS entry without a version', () => {
    expect(() => parse('PODS:\n  - Alamofire (5.6.4)\n  - Broken\n')).toThrow(
      /Podfile\.lock:\/PODS\/1: pod entry "Broken"/,
    );
  });

  it('refuses YAML that is not a Podfile.lock', () => {
    expect(() => parse('name: app\n')).toThrow(/Podfile\.lock:\/PODS/);
  });

  it('refuses YAML alias bombs', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(9)
          .fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`)
          .join(',')}]`,
      );
    bomb.push('PODS: *bbbbbbbbbbb');
    expect(() => parse(bomb.join('\n'))).toThrow(/Podfile\.lock/);
  });
});

describeInventoryFormat(podfileLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [{ file: 'Podfile.lock' }, { file: 'trivy-happy.Podfile.lock', fileName: 'Podfile.lock' }],
  truncation: 'undetectable',
  hostile: [
    { name: 'its own syntax nested 10,000 deep', content: `PODS: ${'['.repeat(10_000)}` },
    { name: 'a 2 MB package name', content: `PODS:\n  - ${'x'.repeat(2_000_000)} (1.0.0)\n` },
  ],
});
