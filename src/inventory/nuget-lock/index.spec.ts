import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itWithShared } from '../../../test/support/shared-data.js';
import { getTrivyCasePath, loadTrivyCase } from '../../../test/support/trivy-oracle.js';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { nugetLockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  nugetLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'src/App/packages.lock.json',
);
const ids = (content: Buffer) =>
  parse(content)
    .packages.map((p) => `${p.name}@${p.version}`)
    .sort();

describe('nuget-lock', () => {
  it('detects packages.lock.json only', () => {
    expect(nugetLockFormat.detect('packages.lock.json', '{')).toBe(true);
    expect(nugetLockFormat.detect('package-lock.json', '{')).toBe(false);
  });

  it('reads resolved versions with Direct/Transitive, with NuGet purls', () => {
    expect(parse(fixture('packages.lock.json')).packages).toEqual([
      {
        ecosystem: 'NuGet',
        name: 'Newtonsoft.Json',
        version: '12.0.3',
        purl: 'pkg:nuget/Newtonsoft.Json@12.0.3',
        location: '/dependencies/.NETCoreApp,Version=v5.0/Newtonsoft.Json',
        direct: true,
      },
      expect.objectContaining({ name: 'NuGet.Frameworks', version: '5.7.0', direct: true }),
    ]);
  });

  it('merges frameworks (direct in any → direct), skips Project entries, keeps CentralTransitive', () => {
    const { packages, warnings } = parse(fixture('multi-framework.packages.lock.json'));
    expect(warnings).toEqual([]);
    expect(packages.map((p) => [p.name, p.version, p.direct])).toEqual([
      ['Microsoft.Extensions.DependencyInjection', '9.0.0', true],
      ['Microsoft.Extensions.DependencyInjection.Abstractions', '9.0.0', true],
      ['System.Text.Json', '8.0.4', false],
    ]);
  });

  it('names the entry that lacks a resolved version', () => {
    const bad = JSON.stringify({ version: 1, dependencies: { 'net8.0': { A: { type: 'Direct' } } } });
    expect(() => parse(bad)).toThrow(/packages\.lock\.json:\/dependencies\/net8\.0\/A\/resolved/);
  });

  it('warns about an unknown lock file version and still reads it', () => {
    const text = JSON.stringify({
      version: 3,
      dependencies: { net8: { A: { type: 'Direct', resolved: '1.0.0' } } },
    });
    const { packages, warnings } = parse(text);
    expect(packages).toHaveLength(1);
    expect(warnings[0]).toMatch(/version 3/);
  });

  const trivy = loadTrivyCase('nuget');
  itWithShared(trivy, getTrivyCasePath('nuget'), "lists exactly Trivy's packages for its nuget case", () => {
    const input = readFileSync(trivy!.inputPath('packages.lock.json'));
    expect(ids(input)).toEqual(trivy!.packages('packages.lock.json'));
    for (const vulnerable of trivy!.vulnerable('packages.lock.json'))
      expect(ids(input)).toContain(vulnerable);
  });
});

describeInventoryFormat(nugetLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [
    { file: 'multi-framework.packages.lock.json', fileName: 'packages.lock.json' },
    { file: 'packages.lock.json' },
  ],
  truncation: 'detected',
  hostile: [
    {
      name: 'its own syntax nested 10,000 deep',
      content: `{"version": 1, "dependencies": ${'{"a":'.repeat(10_000)}`,
    },
    {
      name: 'a 2 MB package name',
      content: JSON.stringify({
        version: 1,
        dependencies: { net8: { ['x'.repeat(2_000_000)]: { type: 'Direct', resolved: '1.0.0' } } },
      }),
    },
  ],
});
