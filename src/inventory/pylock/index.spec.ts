import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itWithShared } from '../../../test/support/shared-data.js';
import { getTrivyCasePath, loadTrivyCase } from '../../../test/support/trivy-oracle.js';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { pylockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  pylockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'pylock.toml',
);

describe('pylock', () => {
  it('claims pylock.toml and pylock.<name>.toml (PEP 751 file names)', () => {
    expect(pylockFormat.detect('pylock.toml', '')).toBe(true);
    expect(pylockFormat.detect('pylock.dev.toml', '')).toBe(true);
    expect(pylockFormat.detect('pyproject.toml', '')).toBe(false);
  });

  it('reads index packages and skips VCS, directory, archive and version-less ones', () => {
    const text = [
      'lock-version = "1.0"',
      'created-by = "pip"',
      '[[packages]]\nname = "Werkzeug"\nversion = "3.0.1"',
      '[[packages]]\nname = "a"\nversion = "1.0"\n[packages.vcs]\ntype = "git"\nurl = "https://x/a.git"\ncommit-id = "abc"',
      '[[packages]]\nname = "b"\n[packages.directory]\npath = "./b"',
    ].join('\n');
    const result = parse(text);
    expect(result.packages).toEqual([
      {
        ecosystem: 'PyPI',
        name: 'werkzeug',
        version: '3.0.1',
        purl: 'pkg:pypi/werkzeug@3.0.1',
        location: '/packages/0',
      },
    ]);
    expect(result.warnings).toEqual([
      '/packages/1: a comes from a vcs, skipped',
      '/packages/2: b comes from a directory, skipped',
    ]);
  });

  it('reads the pip-written sample', () => {
    expect(parse(fixture('trivy.pylock.toml')).packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'click@8.1.3',
      'colorama@0.4.6',
      'werkzeug@0.11.1',
    ]);
  });

  it('refuses a file without a PEP 751 lock-version', () => {
    expect(() => parse('[[packages]]\nname = "a"\n', 'x/pylock.toml')).toThrow(
      /^x\/pylock\.toml:\/lock-version: not a pylock\.toml/,
    );
  });

  const trivy = loadTrivyCase('pylock');
  itWithShared(trivy, getTrivyCasePath('pylock'), 'lists what Trivy lists for its pylock case', () => {
    const result = parse(readFileSync(trivy!.inputPath('pylock.toml')));
    expect(result.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(
      trivy!.packages('pylock.toml'),
    );
  });
});

describeInventoryFormat(pylockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [{ file: 'trivy.pylock.toml', fileName: 'pylock.toml' }],
  hostile: [
    {
      name: 'a huge package name',
      content: `lock-version = "1.0"\n[[packages]]\nname = "${'a'.repeat(5000)}"\nversion = "1"\n`,
    },
  ],
});
