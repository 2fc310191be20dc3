import { describe, expect, it } from 'vitest';
import { itWithShared } from '../../../test/support/shared-data.js';
import { loadSharedFile } from '../../../test/support/trivy-oracle.js';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { InventoryParseError } from '../errors.js';
import { composerLockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  composerLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'app/composer.lock',
);

describe('composer-lock', () => {
  it('detects composer.lock only', () => {
    expect(composerLockFormat.detect('composer.lock', '{')).toBe(true);
    expect(composerLockFormat.detect('composer.json', '{')).toBe(false);
  });

  it('reads packages and marks packages-dev as dev, with Packagist purls', () => {
    const { packages, warnings } = parse(fixture('with-dev.composer.lock'));
    expect(warnings).toEqual([]);
    expect(packages).toEqual([
      {
        ecosystem: 'Packagist',
        name: 'guzzlehttp/guzzle',
        version: '7.4.4',
        purl: 'pkg:composer/guzzlehttp/guzzle@7.4.4',
        location: '/packages/0',
        dev: false,
      },
      expect.objectContaining({ name: 'guzzlehttp/psr7', version: '2.4.0', dev: false }),
      expect.objectContaining({
        name: 'phpunit/phpunit',
        version: '9.5.20',
        dev: true,
        location: '/packages-dev/0',
      }),
    ]);
  });

  it("reads OSV-Scanner's composer.lock sample", () => {
    const { packages } = parse(fixture('composer.lock'));
    expect(packages.map((p) => `${p.name}@${p.version}`)).toEqual(['league/flysystem@1.0.8']);
  });

  const shared = loadSharedFile('sboms/osv-scanner/composer.lock');
  itWithShared(
    shared,
    'testdata/sboms/osv-scanner/composer.lock',
    'parses ../shared/testdata/sboms/osv-scanner/composer.lock',
    () => {
      expect(parse(shared!).packages.map((p) => p.name)).toEqual(['league/flysystem']);
    },
  );

  it('names the JSON pointer of a package without a version', () => {
    const bad = JSON.stringify({ packages: [{ name: 'a/b', version: '1.0.0' }, { name: 'c/d' }] });
    expect(() => parse(bad)).toThrow(InventoryParseError);
    expect(() => parse(bad)).toThrow(/app\/composer\.lock:\/packages\/1\/version/);
  });

  it('refuses a JSON document that is not a composer.lock', () => {
    expect(() => parse('{"name": "x"}')).toThrow(/app\/composer\.lock:\/packages/);
  });
});

describeInventoryFormat(composerLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [{ file: 'with-dev.composer.lock', fileName: 'composer.lock' }, { file: 'composer.lock' }],
  truncation: 'detected',
  hostile: [
    { name: 'its own syntax nested 10,000 deep', content: `{"packages": ${'['.repeat(10_000)}` },
    {
      name: 'a 2 MB package name',
      content: JSON.stringify({ packages: [{ name: 'x'.repeat(2_000_000), version: '1.0.0' }] }),
    },
  ],
});
