import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itWithShared } from '../../../test/support/shared-data.js';
import { getTrivyCasePath, loadTrivyCase } from '../../../test/support/trivy-oracle.js';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { cargoLockFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  cargoLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'Cargo.lock',
);

describe('cargo-lock', () => {
  it('claims Cargo.lock only', () => {
    expect(cargoLockFormat.detect('Cargo.lock', 'version = 4')).toBe(true);
    expect(cargoLockFormat.detect('Cargo.toml', '')).toBe(false);
  });

  it('reads registry crates with direct from the workspace members (versioned references too)', () => {
    const result = parse(fixture('trivy.Cargo.lock'));
    expect(result.packages.map((p) => `${p.name}@${p.version} direct=${p.direct}`)).toEqual([
      'aho-corasick@0.7.20 direct=false',
      'libc@0.2.171 direct=false',
      'memchr@1.0.2 direct=true',
      'memchr@2.7.4 direct=false',
      'regex@1.7.3 direct=true',
      'regex-syntax@0.6.29 direct=false',
      'winapi@0.3.9 direct=true',
      'winapi-i686-pc-windows-gnu@0.4.0 direct=false',
      'winapi-x86_64-pc-windows-gnu@0.4.0 direct=false',
    ]);
    expect(result.packages[0]).toMatchObject({
      ecosystem: 'crates.io',
      purl: 'pkg:cargo/aho-corasick@0.7.20',
      location: '/package/0',
    });
  });

  it('keeps sparse-registry crates, skips git crates with a warning and path crates silently', () => {
    const result = parse(fixture('v3-git.Cargo.lock'));
    expect(result.packages.map((p) => `${p.name}@${p.version} direct=${p.direct}`)).toEqual([
      'cfg-if@1.0.0 direct=true',
    ]);
    expect(result.warnings).toEqual([
      '/package/2: tracing comes from git+https://github.com/tokio-rs/tracing, not a registry, skipped',
    ]);
  });

  it('reads the v1 format (no version key)', () => {
    const v1 =
      '[[package]]\nname = "libc"\nversion = "0.2.40"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n\n[metadata]\n"checksum libc 0.2.40 (registry+https://github.com/rust-lang/crates.io-index)" = "abc"\n';
    expect(parse(v1).packages.map((p) => `${p.name}@${p.version}`)).toEqual(['libc@0.2.40']);
  });

  it('names the file and position of broken input', () => {
    expect(() => parse('version = 9\n', 'r/Cargo.lock')).toThrow(
      /^r\/Cargo\.lock:\/version: not a Cargo\.lock/,
    );
    expect(() => parse('[[package]\n', 'r/Cargo.lock')).toThrow(
      /^r\/Cargo\.lock:line 1, column \d+: invalid TOML/,
    );
  });

  const trivy = loadTrivyCase('cargo');
  itWithShared(
    trivy,
    getTrivyCasePath('cargo'),
    'lists what Trivy lists for its cargo case, with two explained differences',
    () => {
      const result = parse(readFileSync(trivy!.inputPath('Cargo.lock')));
      // 1. Trivy also lists the workspace root `app@0.1.0` (Relationship "root"); it is the project's own
      //    code, in no registry and no advisory database, so we do not report it as a package.
      // 2. Trivy reads Cargo.toml, where `winapi` is a dev-dependency, and drops it and its two
      //    dependencies by default. Cargo.lock alone does not tell dev from production, so we keep them.
      const devOnly = [
        'winapi-i686-pc-windows-gnu@0.4.0',
        'winapi-x86_64-pc-windows-gnu@0.4.0',
        'winapi@0.3.9',
      ];
      const expected = [
        ...trivy!.packages('Cargo.lock').filter((id) => id !== 'app@0.1.0'),
        ...devOnly,
      ].sort();
      expect(result.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(expected);
    },
  );
});

describeInventoryFormat(cargoLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [
    { file: 'trivy.Cargo.lock', fileName: 'Cargo.lock' },
    { file: 'v3-git.Cargo.lock', fileName: 'Cargo.lock' },
  ],
  hostile: [
    {
      name: 'a huge crate name',
      content: `[[package]]\nname = "${'a'.repeat(5000)}"\nversion = "1.0.0"\nsource = "registry+x"\n`,
    },
  ],
});
