import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findSharedData, isCi, SharedDataMissingError } from './shared-data.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('shared test data: skip off CI, fail in CI', () => {
  const root = mkdtempSync(join(tmpdir(), 'patchcast-shared-'));
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'data', 'kev.json'), '{}');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds a file that is there, on CI or not', () => {
    for (const env of [{}, { CI: 'true' }])
      expect(findSharedData('data/kev.json', { env, root })).toBe(join(root, 'data', 'kev.json'));
  });

  it('off CI a missing file means skip: undefined, no error', () => {
    for (const env of [{}, { CI: '' }, { CI: 'false' }, { CI: '0' }])
      expect(findSharedData('data/cves.jsonl.gz', { env, root })).toBeUndefined();
  });

  it('in CI a missing file fails the run, naming the path and the fix', () => {
    for (const env of [{ CI: 'true' }, { CI: '1' }]) {
      expect(() => findSharedData('data/cves.jsonl.gz', { env, root })).toThrow(SharedDataMissingError);
      expect(() => findSharedData('data/cves.jsonl.gz', { env, root })).toThrow(
        `${join(root, 'data', 'cves.jsonl.gz')} is missing and CI is set`,
      );
    }
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({})).toBe(false);
  });
});

/** Spec and test-support files of the tree (not node_modules), relative to the repository. */
function listTestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listTestFiles(path);
    const isTestCode = /\.spec\.ts$|contract\.ts$/.test(entry.name) || path.includes('/test/support/');
    return isTestCode && entry.name.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

describe('no spec decides on its own what a missing ../shared means', () => {
  const files = [...listTestFiles(join(ROOT, 'src')), ...listTestFiles(join(ROOT, 'test'))].filter(
    (f) => f !== 'test/support/shared-data.ts' && f !== 'test/support/shared-data.spec.ts',
  );

  it('every path into ../shared comes from test/support/shared-data.ts', () => {
    const ownPath = /(?:new URL|join|resolve)\(\s*['"`](?:\.\.\/)+shared\b/;
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((f) => ownPath.test(readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('no placeholder test passes with an empty body (a skip is it.skip with its reason)', () => {
    const placeholder =
      /\bit(?:\.(?:skipIf|runIf)\([^)]*\))?\([^;]*?,\s*(?:async\s*)?\(\)\s*=>\s*\{\s*\}\s*\)/;
    expect(files.filter((f) => placeholder.test(readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });
});
