import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itWithShared } from '../../../test/support/shared-data.js';
import { getTrivyCasePath, loadTrivyCase } from '../../../test/support/trivy-oracle.js';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { pnpmLockFormat } from './index.js';
import { parsePackageKey } from './package-key.js';

const { fixture, parse } = makeFormatSpecHelpers(
  pnpmLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'pnpm-lock.yaml',
);
const facts = (content: Buffer | string) =>
  parse(content)
    .packages.map((p) => `${p.name}@${p.version} direct=${p.direct} dev=${p.dev}`)
    .sort();

describe('pnpm-lock', () => {
  it('claims pnpm-lock.yaml only', () => {
    expect(pnpmLockFormat.detect('pnpm-lock.yaml', "lockfileVersion: '9.0'")).toBe(true);
    expect(pnpmLockFormat.detect('pnpm-workspace.yaml', '')).toBe(false);
  });

  it('reads the key formats of v5, v6 and v9, with scopes, peers and registry hosts', () => {
    expect(parsePackageKey('/lodash/4.17.4', 5.4)).toEqual({ name: 'lodash', version: '4.17.4' });
    expect(parsePackageKey('/@babel/core/7.1.0_peer@1.0.0', 5.4)).toEqual({
      name: '@babel/core',
      version: '7.1.0',
    });
    expect(parsePackageKey('registry.npmjs.org/@s/a/1.0.0', 5.4)).toEqual({ name: '@s/a', version: '1.0.0' });
    expect(parsePackageKey('/@s/a@1.0.0(react@18.2.0)', 6)).toEqual({ name: '@s/a', version: '1.0.0' });
    expect(parsePackageKey('debug@4.3.4(supports-color@8.1.1)', 9)).toEqual({
      name: 'debug',
      version: '4.3.4',
    });
    expect(parsePackageKey('@github.com/debug-js/debug/tarball/4.3.4', 6)).toBeUndefined();
    expect(parsePackageKey('lodash@file:foo/bar/lodash.tgz', 9)).toBeUndefined();
    expect(parsePackageKey('file:package1', 6)).toBeUndefined();
  });

  it('reads v5 with direct and dev flags', () => {
    expect(facts(fixture('v5.pnpm-lock.yaml'))).toEqual([
      'asap@2.0.6 direct=false dev=false',
      'jquery@3.6.0 direct=true dev=false',
      'promise@8.1.0 direct=true dev=false',
    ]);
  });

  it('skips tarball and file: packages in v6 with warnings', () => {
    const result = parse(fixture('v6-archives.pnpm-lock.yaml'));
    expect(result.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['ms@2.1.2']);
    expect(result.packages[0]?.location).toBe('/packages/~1ms@2.1.2');
    expect(result.warnings).toEqual([
      '/packages/@github.com~1debug-js~1debug~1tarball~14.3.4: not a registry package, skipped',
      '/packages/file:foo~1bar~1lodash.tgz: not a registry package, skipped',
    ]);
  });

  it('reads v9: importers give direct, the snapshot graph gives dev (prod wins when both reach)', () => {
    expect(facts(fixture('v9.pnpm-lock.yaml'))).toEqual([
      '@babel/helper-string-parser@7.24.1 direct=true dev=false',
      'asap@2.0.6 direct=false dev=false',
      // Reached only through the `file:` package1, which is not walked.
      'asynckit@0.4.0 direct=false dev=undefined',
      'await-sleep@0.0.1 direct=true dev=true',
      'debug@4.3.4 direct=false dev=false',
      'finalhandler@1.1.1 direct=true dev=false',
      'jquery@3.6.0 direct=true dev=true',
      // A dev dependency of the root, and also under finalhandler → debug in production.
      'ms@2.0.0 direct=true dev=false',
      'promise@8.1.0 direct=true dev=false',
    ]);
  });

  it('reads the project document of a multi-document lockfile', () => {
    const text = `---\nlockfileVersion: '9.0'\npackages:\n  pnpm@11.7.0: {}\n---\nlockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      is-even: {specifier: 1.0.0, version: 1.0.0}\npackages:\n  is-even@1.0.0: {}\n`;
    const result = parse(text);
    expect(result.packages.map((p) => p.name)).toEqual(['is-even']);
    expect(result.warnings).toEqual(["1 leading YAML document(s) (pnpm's own tools) skipped"]);
  });

  it('names the file and field of a broken lockfile', () => {
    expect(() => parse('packages: {}\n', 'a/pnpm-lock.yaml')).toThrow(
      /^a\/pnpm-lock\.yaml:\/lockfileVersion: not a pnpm-lock\.yaml/,
    );
    expect(() => parse("lockfileVersion: '6.0'\npackages:\n  /a@1.0.0: [\n", 'a/pnpm-lock.yaml')).toThrow(
      /^a\/pnpm-lock\.yaml:line \d+, column \d+: invalid YAML/,
    );
  });

  const trivy = loadTrivyCase('pnpm');
  itWithShared(trivy, getTrivyCasePath('pnpm'), 'lists what Trivy lists for its pnpm case', () => {
    const result = parse(readFileSync(trivy!.inputPath('pnpm-lock.yaml')));
    expect(result.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(
      trivy!.packages('pnpm-lock.yaml'),
    );
    expect(result.packages.every((p) => p.direct && p.dev === false)).toBe(true);
  });
});

describeInventoryFormat(pnpmLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [
    { file: 'v9.pnpm-lock.yaml', fileName: 'pnpm-lock.yaml' },
    { file: 'v6-trivy.pnpm-lock.yaml', fileName: 'pnpm-lock.yaml' },
    { file: 'v6-archives.pnpm-lock.yaml', fileName: 'pnpm-lock.yaml' },
    { file: 'v5.pnpm-lock.yaml', fileName: 'pnpm-lock.yaml' },
  ],
  // YAML cut between entries is a valid, shorter lockfile.
  truncation: 'undetectable',
  hostile: [
    {
      name: 'a huge package name',
      content: `lockfileVersion: '9.0'\npackages:\n  ${'a'.repeat(5000)}@1.0.0: {}\n`,
    },
    {
      name: 'nested flow sequences',
      content: `lockfileVersion: '9.0'\npackages:\n  a@1.0.0: ${'['.repeat(500)}${']'.repeat(500)}\n`,
    },
  ],
});
