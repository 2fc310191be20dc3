import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { uvLockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  uvLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'uv.lock',
);

describe('uv-lock', () => {
  it('claims uv.lock only', () => {
    expect(uvLockFormat.detect('uv.lock', 'version = 1')).toBe(true);
    expect(uvLockFormat.detect('Cargo.lock', 'version = 3')).toBe(false);
  });

  it('reads registry packages, direct and dev from the project, skips the project and git sources', () => {
    const result = parse(fixture('uv.lock'));
    expect(result.packages.map((p) => `${p.name}@${p.version} direct=${p.direct} dev=${p.dev}`)).toEqual([
      'anyio@4.7.0 direct=true dev=false',
      // Under anyio (production) and under pytest (dev): production wins.
      'exceptiongroup@1.2.2 direct=false dev=false',
      'idna@3.10 direct=false dev=false',
      'iniconfig@2.0.0 direct=false dev=true',
      'pytest@8.3.4 direct=true dev=true',
    ]);
    expect(result.packages[0]).toMatchObject({
      ecosystem: 'PyPI',
      purl: 'pkg:pypi/anyio@4.7.0',
      location: '/package/0',
    });
    expect(result.warnings).toEqual(['/package/4: mylib comes from a git source, skipped']);
  });

  it('leaves direct and dev unset without a project entry', () => {
    const text =
      'version = 1\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\n';
    expect(parse(text).packages).toEqual([
      { ecosystem: 'PyPI', name: 'a', version: '1.0', purl: 'pkg:pypi/a@1.0', location: '/package/0' },
    ]);
  });

  it('names the file and position of broken input', () => {
    expect(() => parse('[[package]]\nname = "a"\n', 'u/uv.lock')).toThrow(
      /^u\/uv\.lock:\/version: not a uv\.lock/,
    );
    expect(() => parse('version = 1\n[[package]\n', 'u/uv.lock')).toThrow(
      /^u\/uv\.lock:line 2, column \d+: invalid TOML/,
    );
  });
});

describeInventoryFormat(uvLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [{ file: 'uv.lock' }],
  hostile: [
    {
      name: 'a huge package name',
      content: `version = 1\n[[package]]\nname = "${'a'.repeat(5000)}"\nversion = "1.0"\nsource = { registry = "x" }\n`,
    },
  ],
});
