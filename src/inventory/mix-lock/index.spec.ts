import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { parseElixirTerm } from './elixir-term.js';
import { mixLockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  mixLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'app/mix.lock',
);

describe('mix-lock', () => {
  it('detects mix.lock only', () => {
    expect(mixLockFormat.detect('mix.lock', '%{')).toBe(true);
    expect(mixLockFormat.detect('mix.exs', 'defmodule')).toBe(false);
  });

  it('reads Hex entries with their line, skipping git dependencies with a warning', () => {
    const { packages, warnings } = parse(fixture('mix.lock'));
    expect(packages.map((p) => [p.name, p.version, p.location])).toEqual([
      ['bunt', '0.2.0', 'line 2'],
      ['credo', '1.6.6', 'line 3'],
      ['file_system', '0.2.10', 'line 4'],
      ['jason', '1.3.0', 'line 5'],
    ]);
    expect(packages[0]).toMatchObject({ ecosystem: 'Hex', purl: 'pkg:hex/bunt@0.2.0' });
    expect(warnings).toEqual(['app/mix.lock:line 6: skipped esaml, a git dependency with no Hex version']);
  });

  // Deliberate difference: Trivy names packages by the lock key (the app name); the Hex package
  // name is the tuple's second element, which OSV's Hex advisories use.
  it('names packages by their Hex package, reads => maps, comments and private repositories', () => {
    const { packages, warnings } = parse(fixture('renamed.mix.lock'));
    expect(packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'cowboy@2.9.0',
      'phoenix@1.6.15',
      'acme_auth@0.4.1',
    ]);
    expect(warnings).toEqual([
      'app/mix.lock:line 3: skipped local_lib, a path dependency with no Hex version',
    ]);
  });

  it('parses Elixir terms without evaluating them', () => {
    const term = parseElixirTerm('t', '%{"a": {:hex, :"odd name", "1.0", [x: true, y: "#{System.halt()}"]}}');
    expect(term).toMatchObject({
      kind: 'map',
      entries: [[{ kind: 'string', value: 'a' }, { kind: 'tuple' }]],
    });
  });

  it('reads back every Hex entry of any generated mix.lock (fast-check)', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,30}$/);
    const version = fc.stringMatching(/^\d{1,3}\.\d{1,3}\.\d{1,3}(-[a-z0-9.]{1,8})?$/);
    const entries = fc.uniqueArray(fc.record({ app: name, pkg: name, version }), {
      selector: (e) => e.app,
      maxLength: 20,
    });
    fc.assert(
      fc.property(entries, fc.boolean(), (list, arrows) => {
        const lines = list.map(({ app, pkg, version: v }) => {
          const key = arrows ? `"${app}" =>` : `"${app}":`;
          return `  ${key} {:hex, :${pkg}, "${v}", "abc", [:mix], [{:dep, "~> 1.0", [hex: :dep, repo: "hexpm", optional: false]}], "hexpm", "def"},`;
        });
        const { packages } = parse(`%{\n${lines.join('\n')}\n}\n`);
        expect(packages.map((p) => [p.name, p.version, p.location])).toEqual(
          list.map((e, i) => [e.pkg, e.version, `line ${i + 2}`]),
        );
      }),
    );
  });

  it('names the line of a truncated or malformed file', () => {
    expect(() => parse('%{\n  "bunt": {:hex, :bunt, "0.2.0"')).toThrow(
      /app\/mix\.lock:line 2: unexpected end of file/,
    );
    expect(() => parse('%{\n  "bunt" {:hex}\n}')).toThrow(/app\/mix\.lock:line 2: expected "=>"/);
    expect(() => parse('%{\n  "bunt": {:hex, :bunt, "0.2.0\n}')).toThrow(/line 2: unterminated string/);
    expect(() => parse('%{"a": {:hex, :a, 1}}')).toThrow(/line 1: hex entry a lacks/);
    expect(() => parse('[1, 2]')).toThrow(/not a %\{…\} map/);
  });
});

describeInventoryFormat(mixLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [{ file: 'mix.lock' }, { file: 'renamed.mix.lock', fileName: 'mix.lock' }],
  truncation: 'detected',
  hostile: [
    { name: 'its own syntax nested 10,000 deep', content: `%{"a": ${'{'.repeat(10_000)}` },
    {
      name: 'a 2 MB package name',
      content: `%{"a": {:hex, :a, "${'9'.repeat(2_000_000)}", "", [:mix], [], "hexpm", ""}}`,
    },
  ],
});
