import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itWithShared } from '../../../test/support/shared-data.js';
import { getTrivyCasePath, loadSharedFile, loadTrivyCase } from '../../../test/support/trivy-oracle.js';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { InventoryParseError } from '../errors.js';
import { getNameFromPath, packageLockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  packageLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'package-lock.json',
);
const ids = (content: Buffer | string) => parse(content).packages.map((p) => `${p.name}@${p.version}`);

describe('package-lock', () => {
  it('claims package-lock.json, npm-shrinkwrap.json and the hidden lockfile only', () => {
    expect(packageLockFormat.detect('package-lock.json', '{')).toBe(true);
    expect(packageLockFormat.detect('npm-shrinkwrap.json', '{')).toBe(true);
    expect(packageLockFormat.detect('.package-lock.json', '{')).toBe(true);
    expect(packageLockFormat.detect('package.json', '{')).toBe(false);
  });

  it('names packages from node_modules paths, scoped and nested', () => {
    expect(getNameFromPath('node_modules/a')).toBe('a');
    expect(getNameFromPath('node_modules/@s/b')).toBe('@s/b');
    expect(getNameFromPath('node_modules/a/node_modules/@s/b')).toBe('@s/b');
    expect(getNameFromPath('packages/tool')).toBeUndefined();
    expect(getNameFromPath('xnode_modules/a')).toBeUndefined();
  });

  it('reads v3 packages: skips root, workspace folders and links; marks dev and direct', () => {
    const result = parse(fixture('v3-package-lock.json'));
    const byId = new Map(result.packages.map((p) => [`${p.name}@${p.version}`, p]));
    expect([...byId.keys()].sort()).toEqual([
      '@biomejs/biome@2.6.8',
      '@renovatebot/pep440@4.2.4',
      'commander@14.0.3',
      'pg-pool@3.14.0',
      'pg@8.23.1',
      'semver@6.3.1',
      'semver@7.8.6',
      'string-width@4.2.3',
    ]);
    expect(byId.get('@renovatebot/pep440@4.2.4')).toMatchObject({
      ecosystem: 'npm',
      purl: 'pkg:npm/%40renovatebot/pep440@4.2.4',
      direct: true,
      dev: false,
      location: '/packages/node_modules~1@renovatebot~1pep440',
    });
    expect(byId.get('@biomejs/biome@2.6.8')).toMatchObject({ direct: true, dev: true });
    expect(byId.get('pg-pool@3.14.0')).toMatchObject({ direct: false });
    expect(byId.get('semver@6.3.1')).toMatchObject({ direct: false, dev: true });
    // An npm alias (`string-width-cjs` → `string-width`) is reported under its real name.
    expect(byId.get('string-width@4.2.3')?.purl).toBe('pkg:npm/string-width@4.2.3');
  });

  it('reads v1 nested dependencies, aliases, and skips non-registry versions with a warning', () => {
    const lock = {
      lockfileVersion: 1,
      dependencies: {
        a: { version: '1.0.0', dependencies: { b: { version: '2.0.0', dev: true } } },
        c: { version: 'npm:@s/real@3.1.0' },
        d: { version: 'file:../d' },
        e: { version: 'github:user/e#0123abc' },
      },
    };
    const result = parse(JSON.stringify(lock));
    expect(result.packages.map((p) => `${p.name}@${p.version}:${p.dev}`).sort()).toEqual([
      '@s/real@3.1.0:false',
      'a@1.0.0:false',
      'b@2.0.0:true',
    ]);
    expect(result.packages.find((p) => p.name === 'b')?.location).toBe('/dependencies/a/dependencies/b');
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toMatch(/^\/dependencies\/[de]: version/);
  });

  it('names the file and JSON pointer of a wrongly typed field', () => {
    const bad = JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/a': { version: 7 } } });
    expect(() => parse(bad, 'app/package-lock.json')).toThrow(
      /app\/package-lock\.json:\/packages\/node_modules~1a\/version: not a package-lock\.json/,
    );
    expect(() => parse('{"lockfileVersion": 3,', 'x.json')).toThrow(InventoryParseError);
  });

  const trivy = loadTrivyCase('npm');
  itWithShared(
    trivy,
    getTrivyCasePath('npm'),
    'lists what Trivy lists for its npm case (v1), dev dependencies aside',
    () => {
      const input = readFileSync(trivy!.inputPath('package-lock.json'));
      // Trivy leaves out dev dependencies unless --include-dev-deps; we keep them, marked dev.
      const prod = parse(input).packages.filter((p) => !p.dev);
      expect(prod.map((p) => `${p.name}@${p.version}`).sort()).toEqual(trivy!.packages('package-lock.json'));
      expect(parse(input).packages.find((p) => p.name === 'z-lock')?.dev).toBe(true);
    },
  );

  const osv = loadSharedFile('sboms/osv-scanner/package-lock.json');
  itWithShared(osv, 'testdata/sboms/osv-scanner/package-lock.json', 'reads the osv-scanner sample', () => {
    expect(ids(osv!)).toEqual(['ansi-html@0.0.8']);
  });
});

describeInventoryFormat(packageLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [
    { file: 'v3-package-lock.json', fileName: 'package-lock.json' },
    { file: 'v1-package-lock.json', fileName: 'package-lock.json' },
  ],
  hostile: [
    {
      name: 'a huge package name',
      content: JSON.stringify({
        lockfileVersion: 3,
        packages: { [`node_modules/${'a'.repeat(5000)}`]: { version: '1.0.0' } },
      }),
    },
  ],
});
