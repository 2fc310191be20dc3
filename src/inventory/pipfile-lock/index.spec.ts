import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { pipfileLockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  pipfileLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'Pipfile.lock',
);

describe('pipfile-lock', () => {
  it('claims Pipfile.lock, not Pipfile', () => {
    expect(pipfileLockFormat.detect('Pipfile.lock', '{')).toBe(true);
    expect(pipfileLockFormat.detect('Pipfile', '')).toBe(false);
  });

  it('reads default and develop, normalises names, skips git entries with a warning', () => {
    const result = parse(fixture('Pipfile.lock'));
    expect(result.packages.map((p) => `${p.name}@${p.version} dev=${p.dev}`)).toEqual([
      // Also in develop: production wins.
      'certifi@2019.3.9 dev=false',
      'pyyaml@5.1 dev=false',
      'requests@2.21.0 dev=false',
      'pytest@7.4.0 dev=true',
    ]);
    expect(result.packages[1]).toMatchObject({ purl: 'pkg:pypi/pyyaml@5.1', location: '/default/PyYAML' });
    expect(result.warnings).toEqual([
      '/default/mylib: no pinned version (git, path or editable dependency), skipped',
    ]);
  });

  it('names the file and pointer of broken input', () => {
    expect(() => parse('{"default": {}}', 'x/Pipfile.lock')).toThrow(
      /^x\/Pipfile\.lock:\/_meta: not a Pipfile\.lock/,
    );
    expect(() => parse('{"_meta": {}, "default": {"a": {"version": 1}}}', 'x/Pipfile.lock')).toThrow(
      /^x\/Pipfile\.lock:\/default\/a\/version/,
    );
  });
});

describeInventoryFormat(pipfileLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [{ file: 'Pipfile.lock' }],
  hostile: [
    {
      name: 'a huge package name',
      content: `{"_meta":{},"default":{"${'a'.repeat(5000)}":{"version":"==1.0"}}}`,
    },
  ],
});
