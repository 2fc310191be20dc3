import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { dotnetDepsFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  dotnetDepsFormat,
  new URL('./__fixtures__/', import.meta.url),
  'app/ExampleApp1.deps.json',
);

describe('dotnet-deps', () => {
  it('detects *.deps.json only', () => {
    expect(dotnetDepsFormat.detect('ExampleApp1.deps.json', '{')).toBe(true);
    expect(dotnetDepsFormat.detect('ExampleApp1.runtimeconfig.json', '{')).toBe(false);
  });

  it('reads package libraries, name and version from the key, skipping the project', () => {
    expect(parse(fixture('ExampleApp1.deps.json')).packages).toEqual([
      {
        ecosystem: 'NuGet',
        name: 'Newtonsoft.Json',
        version: '13.0.1',
        purl: 'pkg:nuget/Newtonsoft.Json@13.0.1',
        location: '/libraries/Newtonsoft.Json~113.0.1',
        direct: true,
      },
    ]);
  });

  it('skips packages without runtime assets, with a warning, as Trivy does', () => {
    const { packages, warnings } = parse(fixture('hello2.deps.json'));
    expect(packages.map((p) => [p.name, p.version, p.direct])).toEqual([
      ['JsonDiffPatch', '2.0.61', true],
      ['Libuv', '1.9.1', false],
      // Not in the runtime target at all: kept, as its assets cannot be judged.
      ['System.Collections.Immutable', '1.3.0', false],
    ]);
    expect(warnings).toEqual([
      'app/ExampleApp1.deps.json: skipped 2 package(s) with no runtime assets: Microsoft.NETCore.App/1.1.2, Microsoft.NETCore.Platforms/1.1.0',
    ]);
  });

  it('reports the runtime pack of a self-contained app under the runtime package name', () => {
    const text = JSON.stringify({
      libraries: { 'runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/6.0.5': { type: 'runtimepack' } },
    });
    expect(parse(text).packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'Microsoft.NETCore.App.Runtime.linux-x64@6.0.5',
    ]);
  });

  it('names a library key that is not Name/Version', () => {
    const text = JSON.stringify({ libraries: { 'Newtonsoft.Json': { type: 'package' } } });
    expect(() => parse(text)).toThrow(/ExampleApp1\.deps\.json:\/libraries\/Newtonsoft\.Json: library key/);
  });
});

describeInventoryFormat(dotnetDepsFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [{ file: 'hello2.deps.json' }, { file: 'ExampleApp1.deps.json' }],
  truncation: 'detected',
  hostile: [
    { name: 'its own syntax nested 10,000 deep', content: `{"libraries": ${'['.repeat(10_000)}` },
    {
      name: 'a 2 MB package name',
      content: JSON.stringify({ libraries: { [`${'x'.repeat(2_000_000)}/1.0.0`]: { type: 'package' } } }),
    },
  ],
});
