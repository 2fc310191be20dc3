import { describe, expect, it } from 'vitest';
import { itWithShared } from '../../../test/support/shared-data.js';
import { loadSharedFile } from '../../../test/support/trivy-oracle.js';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { gemfileLockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  gemfileLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'app/Gemfile.lock',
);

describe('gemfile-lock', () => {
  it('detects Gemfile.lock and gems.locked', () => {
    expect(gemfileLockFormat.detect('Gemfile.lock', 'GEM')).toBe(true);
    expect(gemfileLockFormat.detect('gems.locked', 'GEM')).toBe(true);
    expect(gemfileLockFormat.detect('Gemfile', "source 'https://rubygems.org'")).toBe(false);
  });

  it('reads GEM and GIT specs, drops platform suffixes, folds platform duplicates, marks DEPENDENCIES direct', () => {
    const { packages, warnings } = parse(fixture('Gemfile.lock'));
    expect(packages.map((p) => [p.name, p.version, p.direct, p.location])).toEqual([
      ['actionpack', '7.0.8.1', false, 'line 6'],
      ['rails', '7.0.8.1', true, 'line 8'],
      ['coderay', '1.1.2', false, 'line 20'],
      ['concurrent-ruby', '1.1.5', false, 'line 21'],
      ['dotenv', '2.7.2', true, 'line 22'],
      ['faker', '1.9.3', true, 'line 23'],
      ['i18n', '1.6.0', false, 'line 25'],
      ['method_source', '0.9.2', false, 'line 27'],
      ['nokogiri', '1.13.6', true, 'line 28'],
      ['pry', '0.12.2', true, 'line 32'],
      ['racc', '1.6.0', false, 'line 35'],
      ['rack', '2.2.4', false, 'line 36'],
    ]);
    expect(packages[1]).toMatchObject({ ecosystem: 'RubyGems', purl: 'pkg:gem/rails@7.0.8.1' });
    expect(warnings).toEqual(['app/Gemfile.lock:line 14: skipped my_app 0.1.0, a gem from a PATH source']);
  });

  it("reads OSV-Scanner's Gemfile.lock sample", () => {
    expect(parse(fixture('osv-scanner.Gemfile.lock')).packages).toEqual([
      {
        ecosystem: 'RubyGems',
        name: 'ast',
        version: '2.4.2',
        purl: 'pkg:gem/ast@2.4.2',
        location: 'line 4',
        direct: true,
      },
    ]);
  });

  const shared = loadSharedFile('sboms/osv-scanner/Gemfile.lock');
  itWithShared(
    shared,
    'testdata/sboms/osv-scanner/Gemfile.lock',
    'parses ../shared/testdata/sboms/osv-scanner/Gemfile.lock',
    () => {
      expect(parse(shared!).packages.map((p) => `${p.name}@${p.version}`)).toEqual(['ast@2.4.2']);
    },
  );

  it('names the line of a malformed spec or stray text', () => {
    expect(() => parse('GEM\n  remote: https://rubygems.org/\n  specs:\n    rack 2.2.4\n')).toThrow(
      /app\/Gemfile\.lock:line 4: spec "rack 2.2.4"/,
    );
    expect(() => parse('GEM\n  specs:\n    rack (2.2.4)\n<html>\n')).toThrow(
      /line 4: not a Gemfile\.lock section/,
    );
    expect(() => parse('HELLO\n')).toThrow(/line 1: no Bundler section/);
  });
});

describeInventoryFormat(gemfileLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [{ file: 'Gemfile.lock' }, { file: 'osv-scanner.Gemfile.lock', fileName: 'Gemfile.lock' }],
  truncation: 'undetectable',
  hostile: [
    { name: 'a 2 MB package name', content: `GEM\n  specs:\n    ${'x'.repeat(2_000_000)} (1.0.0)\n` },
  ],
});
