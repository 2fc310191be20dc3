import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itWithShared } from '../../../test/support/shared-data.js';
import { getTrivyCasePath, loadTrivyCase } from '../../../test/support/trivy-oracle.js';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { normalizePythonName } from '../language-package.js';
import { getLogicalLines, requirementsTxtFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  requirementsTxtFormat,
  new URL('./__fixtures__/', import.meta.url),
  'requirements.txt',
);

describe('requirements-txt', () => {
  it('claims requirements files and their usual variants', () => {
    for (const name of [
      'requirements.txt',
      'requirements-dev.txt',
      'requirements_test.txt',
      'dev-requirements.txt',
    ]) {
      expect(requirementsTxtFormat.detect(name, ''), name).toBe(true);
    }
    for (const name of ['README.txt', 'requirements.in', 'constraints.txt']) {
      expect(requirementsTxtFormat.detect(name, ''), name).toBe(false);
    }
  });

  it('joins continuation lines and strips comments', () => {
    expect(getLogicalLines('a==1 \\\n  --hash=x # c\n# only\nb==2#not-a-comment')).toEqual([
      { line: 1, text: 'a==1    --hash=x' },
      { line: 4, text: 'b==2#not-a-comment' },
    ]);
  });

  it('reads pinned requirements with extras, markers, hashes; normalises names (PEP 503)', () => {
    const result = parse(fixture('pip-compile.requirements.txt'));
    expect(result.packages.map((p) => `${p.name}@${p.version} ${p.location}`)).toEqual([
      'certifi@2024.8.30 line 11',
      'charset-normalizer@3.4.0 line 15',
      'flask@3.0.3 line 17',
      'idna@3.10 line 19',
      'requests@2.32.3 line 21',
      'typing-extensions@4.12.2 line 23',
    ]);
    expect(result.packages[2]).toMatchObject({ ecosystem: 'PyPI', purl: 'pkg:pypi/flask@3.0.3' });
  });

  it('warns, by line, about everything it does not read', () => {
    expect(parse(fixture('pip-compile.requirements.txt')).warnings).toEqual([
      'line 8: -r include not followed: scan that file too',
      'line 9: -c include not followed: scan that file too',
      'line 24: urllib3 is not pinned with ==, skipped',
      'line 25: zope.interface is not pinned with ==, skipped',
      'line 26: editable requirement (local or VCS code), skipped',
      'line 27: URL or path requirement, skipped',
      'line 28: direct URL reference, skipped',
    ]);
  });

  it('refuses a line that is no requirement, naming file and line', () => {
    expect(() => parse('flask==2.0\n{"not": "pip"}\n', 'svc/requirements.txt')).toThrow(
      /^svc\/requirements\.txt:line 2: not a requirement/,
    );
  });

  const trivy = loadTrivyCase('pip');
  itWithShared(
    trivy,
    getTrivyCasePath('pip'),
    'lists what Trivy lists for its pip case (names PEP 503-normalised)',
    () => {
      const result = parse(readFileSync(trivy!.inputPath('requirements.txt')));
      // Trivy keeps the name as written (Flask) and normalises only the purl; OSV matches on the
      // normalised name, so we report that.
      const expected = trivy!.packages('requirements.txt').map((id) => {
        const at = id.lastIndexOf('@');
        return `${normalizePythonName(id.slice(0, at))}${id.slice(at)}`;
      });
      expect(result.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(expected.sort());
      expect(result.warnings).toEqual(['line 5: MarkupSafe is not pinned with ==, skipped']);
    },
  );
});

describeInventoryFormat(requirementsTxtFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [
    { file: 'pip-compile.requirements.txt', fileName: 'requirements.txt' },
    { file: 'trivy.requirements.txt', fileName: 'requirements.txt' },
  ],
  // A line-oriented file cut at a line end is a valid, shorter file.
  truncation: 'undetectable',
  hostile: [{ name: 'a huge package name', content: `${'a'.repeat(5000)}==1.0\n` }],
});
