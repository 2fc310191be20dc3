import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { InventoryParseError } from '../errors.js';
import { splitDescriptor, yarnLockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  yarnLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'yarn.lock',
);
const ids = (content: Buffer | string) =>
  parse(content)
    .packages.map((p) => `${p.name}@${p.version}`)
    .sort();

describe('yarn-lock', () => {
  it('claims yarn.lock only', () => {
    expect(yarnLockFormat.detect('yarn.lock', '# yarn lockfile v1')).toBe(true);
    expect(yarnLockFormat.detect('package-lock.json', '')).toBe(false);
  });

  it('splits descriptors after the name, keeping scopes and aliases', () => {
    expect(splitDescriptor('@s/a@^1.0.0')).toEqual({ name: '@s/a', range: '^1.0.0' });
    expect(splitDescriptor('a@npm:b@^1')).toEqual({ name: 'a', range: 'npm:b@^1' });
    expect(splitDescriptor('nameonly')).toBeUndefined();
  });

  it('reads a classic lockfile (the osv-scanner sample)', () => {
    const result = parse(fixture('osv-scanner.yarn.lock'));
    expect(result.packages).toEqual([
      {
        ecosystem: 'npm',
        name: 'balanced-match',
        version: '1.0.2',
        purl: 'pkg:npm/balanced-match@1.0.2',
        location: 'line 4',
      },
    ]);
  });

  it('reports one package per classic entry, under its npm: alias target', () => {
    expect(ids(fixture('aliases.v1.yarn.lock'))).toEqual([
      '@rootio/braces@3.0.2-root.io.1',
      'fill-range@7.0.1',
      'lodash-es@4.17.21',
    ]);
  });

  it('skips file: packages in classic lockfiles with a warning naming the line', () => {
    const result = parse(fixture('local.v1.yarn.lock'));
    expect(result.packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'asap@2.0.6',
      'jquery@3.4.1',
      'promise@8.0.3',
    ]);
    expect(result.warnings).toEqual([
      'line 22: local-package@file:vendor/local-package.tar.gz is not a registry package, skipped',
    ]);
  });

  it('reads berry by resolution; skips workspace and patch silently, link with a warning', () => {
    const result = parse(fixture('berry.yarn.lock'));
    expect(result.packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      '@types/color-name@1.1.1',
      'assert-plus@1.0.0',
      'async@3.2.0',
      'ipaddr.js@1.9.1',
      'js-tokens@4.0.0',
      'node-gyp@7.1.0',
    ]);
    expect(result.packages[0]?.location).toBe('line 8');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^line 60: local-lib@link:.* is not from a registry, skipped$/);
  });

  it('keeps berry versions as text (1.10 is not 1.1)', () => {
    const text = '__metadata:\n  version: 8\n\n"a@npm:^1.10":\n  version: 1.10\n  resolution: "a@npm:1.10"\n';
    expect(ids(text)).toEqual(['a@1.10']);
  });

  it('refuses an unterminated string quickly, naming the line', () => {
    const started = Date.now();
    expect(() => parse('a@^1:\n  version "1.0.0"\n"b@1', 'web/yarn.lock')).toThrow(
      /web\/yarn\.lock:line 3: unterminated/,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a string opened after quotes inside a name, which the quote count took for closed', () => {
    // Found by bench/fuzz: the tokenizer reads `r"""esolved` as one name, then the string opened at
    // column 15 runs to the end of the input and on until memory runs out.
    const text = 'a@^1:\n  version "1.0.2"\n  r"""esolved "https://registry.yarnpkg.com/a/-/a-1.0.2.tgz#e8';
    expect(() => parse(text, 'web/yarn.lock')).toThrow(
      /web\/yarn\.lock:line 3: unterminated string at column 15/,
    );
    // A quote inside a name or a comment opens nothing; an escaped quote does not close a string.
    expect(ids('a@^1:\n  version "1.0.0"\n  x"y 1\n# a "quote\n')).toEqual(['a@1.0.0']);
    expect(() => parse('a@^1:\n  version "1.0.0\\"\n')).toThrow(/line 2: unterminated string at column 11/);
  });

  it('warns about merge conflict markers Yarn resolves by itself', () => {
    const conflict = '<<<<<<< HEAD\na@^1:\n  version "1.0.0"\n=======\na@^1:\n  version "1.1.0"\n>>>>>>> b\n';
    const result = parse(conflict);
    expect(result.packages.map((p) => p.version)).toEqual(['1.1.0']);
    expect(result.warnings[0]).toMatch(/merge conflict/);
  });

  it('refuses malformed entries, naming the file', () => {
    expect(() => parse('__metadata:\n  version: 8\n"a@npm:1":\n  - x\n', 'w/yarn.lock')).toThrow(
      /^w\/yarn\.lock:\/a@npm:1: not a yarn\.lock \(berry\) entry/,
    );
    expect(() => parse('a@^1:\n  version "1.0.0"\n x', 'w/yarn.lock')).toThrow(InventoryParseError);
  });
});

describeInventoryFormat(yarnLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [
    { file: 'berry.yarn.lock', fileName: 'yarn.lock' },
    { file: 'local.v1.yarn.lock', fileName: 'yarn.lock' },
    { file: 'aliases.v1.yarn.lock', fileName: 'yarn.lock' },
    { file: 'osv-scanner.yarn.lock', fileName: 'yarn.lock' },
  ],
  // A YAML (berry) file cut between entries is a valid, shorter lockfile.
  truncation: 'undetectable',
  hostile: [
    { name: 'a huge package name', content: `${'a'.repeat(5000)}@^1:\n  version "1.0.0"\n` },
    {
      name: 'nested berry flow sequences',
      content: `__metadata:\n  version: 8\n"a@npm:1":\n  x: ${'['.repeat(1000)}${']'.repeat(1000)}\n`,
    },
  ],
});
