import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { bunLockFormat, splitResolution } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  bunLockFormat,
  new URL('./__fixtures__/', import.meta.url),
  'bun.lock',
);
const facts = (content: Buffer | string) =>
  parse(content)
    .packages.map((p) => `${p.name}@${p.version} direct=${p.direct} dev=${p.dev}`)
    .sort();

describe('bun-lock', () => {
  it('claims bun.lock, not the binary bun.lockb', () => {
    expect(bunLockFormat.detect('bun.lock', '{')).toBe(true);
    expect(bunLockFormat.detect('bun.lockb', '')).toBe(false);
  });

  it('splits resolutions after the name', () => {
    expect(splitResolution('@types/bun@1.2.13')).toEqual({ name: '@types/bun', version: '1.2.13' });
    expect(splitResolution('a@git+ssh://git@github.com/x/a.git#ff')?.name).toBe('a');
  });

  it('reads packages with direct and dev from the workspaces and the dependency graph', () => {
    expect(facts(fixture('happy.bun.lock'))).toEqual([
      '@types/bun@1.2.13 direct=true dev=true',
      '@types/node@22.15.18 direct=false dev=true',
      'bun-types@1.2.13 direct=false dev=true',
      'typescript@5.8.3 direct=true dev=false',
      // Reached from zod (optional, production) and from the dev tree: production wins.
      'undici-types@6.21.0 direct=false dev=false',
      'zod@3.24.4 direct=true dev=false',
    ]);
    expect(parse(fixture('happy.bun.lock')).packages[0]).toMatchObject({
      purl: 'pkg:npm/%40types/bun@1.2.13',
      location: '/packages/@types~1bun',
    });
  });

  it('reads nested install paths and skips git packages with a warning', () => {
    const result = parse(fixture('nested.bun.lock'));
    expect(result.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['glob@10.4.5', 'minimatch@9.0.5']);
    expect(result.warnings).toEqual(['/packages/adm-zip: not a registry package, skipped']);
  });

  it('skips workspace members silently', () => {
    const lock =
      '{"lockfileVersion": 1, "packages": {"x": ["x@workspace:packages/x"], "a": ["a@1.0.0", "", {}, "sha"]}}';
    expect(parse(lock)).toMatchObject({ packages: [{ name: 'a' }], warnings: [] });
  });

  it('names the file and position of broken input', () => {
    expect(() => parse('{"lockfileVersion": 1, "packages": {"a": ["a@1.0.0",', 'x/bun.lock')).toThrow(
      /^x\/bun\.lock:line 1, column \d+: invalid JSON/,
    );
    expect(() => parse('{"lockfileVersion": 1, "packages": {"a": "a@1"}}', 'x/bun.lock')).toThrow(
      /^x\/bun\.lock:\/packages\/a: not a bun\.lock/,
    );
  });
});

describeInventoryFormat(bunLockFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [
    { file: 'happy.bun.lock', fileName: 'bun.lock' },
    { file: 'nested.bun.lock', fileName: 'bun.lock' },
  ],
  hostile: [
    {
      name: 'a huge package name',
      content: `{"lockfileVersion":1,"packages":{"a":["${'a'.repeat(5000)}@1.0.0"]}}`,
    },
  ],
});
