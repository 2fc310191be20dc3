import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itWithShared } from '../../../test/support/shared-data.js';
import { getTrivyCasePath, loadTrivyCase } from '../../../test/support/trivy-oracle.js';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { poetryLockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  poetryLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'poetry.lock',
);

describe('poetry-lock', () => {
  it('claims poetry.lock only', () => {
    expect(poetryLockFormat.detect('poetry.lock', '')).toBe(true);
    expect(poetryLockFormat.detect('pyproject.toml', '')).toBe(false);
  });

  it('reads Poetry 2 groups as dev flags and skips git sources with a warning', () => {
    const result = parse(fixture('v2-groups.poetry.lock'));
    expect(result.packages.map((p) => `${p.name}@${p.version} dev=${p.dev}`)).toEqual([
      'atomicwrites@1.4.1 dev=true',
      'click@8.1.8 dev=false',
      'colorama@0.4.6 dev=false',
      'flask@1.0.3 dev=false',
    ]);
    expect(result.packages[3]).toMatchObject({
      ecosystem: 'PyPI',
      purl: 'pkg:pypi/flask@1.0.3',
      location: '/package/3',
    });
    expect(result.warnings).toEqual(['/package/4: mylib comes from a git source, skipped']);
  });

  it('reads Poetry 1 categories', () => {
    const text = '[[package]]\nname = "pytest"\nversion = "7.0.0"\ncategory = "dev"\n';
    expect(parse(text).packages[0]).toMatchObject({ name: 'pytest', dev: true });
  });

  it('names the file and position of broken input', () => {
    expect(() => parse('[[package]]\nname = "a"\nversion = \n', 'p/poetry.lock')).toThrow(
      /^p\/poetry\.lock:line 3, column \d+: invalid TOML/,
    );
    expect(() => parse('[[package]]\nname = "a"\n', 'p/poetry.lock')).toThrow(
      /^p\/poetry\.lock:\/package\/0\/version: not a poetry\.lock/,
    );
  });

  const trivy = loadTrivyCase('poetry');
  itWithShared(trivy, getTrivyCasePath('poetry'), 'lists what Trivy lists for its poetry case', () => {
    const result = parse(readFileSync(trivy!.inputPath('poetry.lock')));
    expect(result.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(
      trivy!.packages('poetry.lock'),
    );
  });
});

describeInventoryFormat(poetryLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [
    { file: 'v2-groups.poetry.lock', fileName: 'poetry.lock' },
    { file: 'trivy.poetry.lock', fileName: 'poetry.lock' },
  ],
  hostile: [
    { name: 'a huge package name', content: `[[package]]\nname = "${'a'.repeat(5000)}"\nversion = "1.0"\n` },
  ],
});
