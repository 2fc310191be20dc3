import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itWithShared } from '../../../test/support/shared-data.js';
import { getTrivyCasePath, loadTrivyCase } from '../../../test/support/trivy-oracle.js';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { getSwiftUrlName, swiftResolvedFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  swiftResolvedFormat,
  new URL('./__fixtures__/', import.meta.url),
  'App/Package.resolved',
);
const ids = (content: Buffer) =>
  parse(content)
    .packages.map((p) => `${p.name}@${p.version}`)
    .sort();

describe('swift-resolved', () => {
  it('detects Package.resolved only', () => {
    expect(swiftResolvedFormat.detect('Package.resolved', '{')).toBe(true);
    expect(swiftResolvedFormat.detect('Package.swift', '// swift-tools-version')).toBe(false);
  });

  it('names packages by repository URL without scheme, user or .git', () => {
    expect(getSwiftUrlName('https://github.com/apple/swift-nio.git')).toBe('github.com/apple/swift-nio');
    expect(getSwiftUrlName('git@github.com:apple/swift-nio.git')).toBe('github.com/apple/swift-nio');
    expect(getSwiftUrlName('ssh://git@github.com/apple/swift-nio/')).toBe('github.com/apple/swift-nio');
    expect(getSwiftUrlName('https://git.example.com:8443/team/kit.git')).toBe(
      'git.example.com:8443/team/kit',
    );
  });

  it('reads version 1 pins', () => {
    expect(parse(fixture('v1.Package.resolved')).packages).toEqual([
      {
        ecosystem: 'SwiftURL',
        name: 'github.com/apple/swift-atomics',
        version: '1.1.0',
        purl: 'pkg:swift/github.com/apple/swift-atomics@1.1.0',
        location: '/object/pins/0',
      },
      expect.objectContaining({ name: 'github.com/apple/swift-nio', version: '2.41.0' }),
    ]);
  });

  it('reads version 2 pins', () => {
    expect(ids(fixture('v2.Package.resolved'))).toEqual([
      'github.com/Quick/Nimble@9.2.1',
      'github.com/ReactiveCocoa/ReactiveSwift@7.1.1',
      'github.com/mattgallagher/CwlCatchException@2.1.2',
    ]);
  });

  it('reads version 3, skipping branch-pinned and local pins with warnings', () => {
    const { packages, warnings } = parse(fixture('v3.Package.resolved'));
    expect(packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'github.com/apple/swift-argument-parser@1.5.0',
      'github.com/apple/swift-nio@2.75.0',
    ]);
    expect(warnings).toEqual([
      'App/Package.resolved:/pins/2: skipped https://github.com/matrix-org/matrix-ios-sdk, pinned to branch develop without a version',
      'App/Package.resolved:/pins/3: skipped localSourceControl pin /Users/dev/src/MyLocalKit (SwiftURL names only repositories)',
    ]);
  });

  it('names the field a malformed pin lacks', () => {
    const text = JSON.stringify({ version: 2, pins: [{ identity: 'x', state: { version: '1.0.0' } }] });
    expect(() => parse(text)).toThrow(/Package\.resolved:\/pins\/0\/location/);
  });

  const trivy = loadTrivyCase('swift');
  itWithShared(trivy, getTrivyCasePath('swift'), "lists exactly Trivy's packages for its swift case", () => {
    const input = readFileSync(trivy!.inputPath('Package.resolved'));
    expect(ids(input)).toEqual(trivy!.packages('Package.resolved'));
    for (const vulnerable of trivy!.vulnerable('Package.resolved')) expect(ids(input)).toContain(vulnerable);
  });
});

describeInventoryFormat(swiftResolvedFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [
    { file: 'v3.Package.resolved', fileName: 'Package.resolved' },
    { file: 'v2.Package.resolved', fileName: 'Package.resolved' },
    { file: 'v1.Package.resolved', fileName: 'Package.resolved' },
  ],
  truncation: 'detected',
  hostile: [
    { name: 'its own syntax nested 10,000 deep', content: `{"version": 2, "pins": ${'['.repeat(10_000)}` },
    {
      name: 'a 2 MB package name',
      content: JSON.stringify({
        version: 2,
        pins: [
          {
            identity: 'x',
            kind: 'remoteSourceControl',
            location: `https://github.com/${'x'.repeat(2_000_000)}`,
            state: { version: '1.0.0' },
          },
        ],
      }),
    },
  ],
});
