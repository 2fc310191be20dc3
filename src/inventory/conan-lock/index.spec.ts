import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { conanLockFormat, parseConanRef } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  conanLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'build/conan.lock',
);

describe('conan-lock', () => {
  it('detects conan.lock only', () => {
    expect(conanLockFormat.detect('conan.lock', '{')).toBe(true);
    expect(conanLockFormat.detect('Cargo.lock', '[[package]]')).toBe(false);
  });

  it('parses references with user/channel, revisions, timestamps and package ids', () => {
    expect(parseConanRef('zlib/1.2.13#97d5730b529b4224045fe7090592d4c1%1692672717.049')).toEqual({
      name: 'zlib',
      version: '1.2.13',
    });
    expect(parseConanRef('pkgc/0.1.1@user/testing')).toEqual({ name: 'pkgc', version: '0.1.1' });
    expect(parseConanRef('pkgd/0.1.0:5ab84d6acfe1f23c4fae0ab88f26e3a396351ac9')).toEqual({
      name: 'pkgd',
      version: '0.1.0',
    });
    expect(parseConanRef('no-version')).toBeUndefined();
  });

  it('reads Conan 1 graph lock nodes: root requires direct, build context dev', () => {
    const { packages } = parse(fixture('v1.conan.lock'));
    expect(packages.map((p) => [p.name, p.version, p.direct, p.dev])).toEqual([
      ['pkga', '0.0.1', true, false],
      ['pkgb', 'system', false, false],
      ['pkgc', '0.1.1', true, false],
      ['cmake', '3.22.6', true, true],
    ]);
    expect(packages[0]).toMatchObject({ purl: 'pkg:conan/pkga@0.0.1', location: '/graph_lock/nodes/1/ref' });
  });

  it('reads Conan 2 requires, with build_requires as dev', () => {
    const { packages } = parse(fixture('v2.conan.lock'));
    expect(packages.map((p) => [p.ecosystem, p.name, p.version, p.dev])).toEqual([
      ['ConanCenter', 'zlib', '1.2.13', false],
      ['ConanCenter', 'openssl', '3.1.2', false],
      ['ConanCenter', 'automake', '1.16.5', true],
      ['ConanCenter', 'autoconf', '2.71', true],
    ]);
    expect(packages[1]?.location).toBe('/requires/1');
  });

  it('names a reference that is not name/version', () => {
    expect(() => parse('{"version": "0.5", "requires": ["zlib"]}')).toThrow(
      /conan\.lock:\/requires\/0: "zlib"/,
    );
  });

  it('names a malformed graph node', () => {
    expect(() => parse('{"graph_lock": {"nodes": {"1": {"ref": 42}}}}')).toThrow(
      /conan\.lock:\/graph_lock\/nodes\/1\/ref/,
    );
  });
});

describeInventoryFormat(conanLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [
    { file: 'v1.conan.lock', fileName: 'conan.lock' },
    { file: 'v2.conan.lock', fileName: 'conan.lock' },
  ],
  truncation: 'detected',
  hostile: [
    { name: 'its own syntax nested 10,000 deep', content: `{"requires": ${'['.repeat(10_000)}` },
    {
      name: 'a 2 MB package name',
      content: JSON.stringify({ requires: [`${'x'.repeat(2_000_000)}/1.0.0`] }),
    },
  ],
});
