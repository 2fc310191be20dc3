import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nugetScheme } from './index.js';

// The shared oracle files live next to the repository (../shared); skip when they are absent.
const DIR = fileURLToPath(new URL('../../../../shared/testdata/versions/', import.meta.url));
const present = existsSync(DIR);

interface OracleFile {
  cases: Record<string, unknown>[];
}

function load(name: string): OracleFile {
  return JSON.parse(readFileSync(`${DIR}${name}.json`, 'utf8')) as OracleFile;
}

/** Runs every case; `knownWrong` lists cases (JSON without `src`) the reference tool contradicts. */
function run(
  name: string,
  check: (c: Record<string, unknown>) => boolean,
  knownWrong: readonly string[] = [],
): void {
  const failures: string[] = [];
  const { cases } = load(name);
  for (const { src: _src, ...c } of cases) {
    const key = JSON.stringify(c);
    let ok: boolean;
    try {
      ok = check(c);
    } catch (error) {
      ok = false;
      if (!knownWrong.includes(key)) failures.push(`${key}: ${(error as Error).message}`);
      continue;
    }
    if (ok === knownWrong.includes(key)) failures.push(ok ? `now passes: ${key}` : key);
  }
  expect(failures.slice(0, 20), `${failures.length}/${cases.length} failed`).toEqual([]);
}

// "1", "1.0", "1.0.3.120" are valid for NuGetVersion.TryParse (they come from a strict SemVer test);
// the "normalized" values are System.Version strings (`.Version`), not ToNormalizedString().
const NOT_NUGET_VERSION_PARSE: readonly string[] = [
  '{"version":"1","valid":false}',
  '{"version":"1.0","valid":false}',
  '{"version":"1.0.3.120","valid":false}',
  '{"version":"23.2.3","valid":true,"normalized":"23.2.3.0"}',
  '{"version":"1.022-Beta","valid":true,"normalized":"1.22.0.0"}',
  '{"version":"23.2.3-Alpha","valid":true,"normalized":"23.2.3.0"}',
  '{"version":"1.3.42.10133-PreRelease","valid":true,"normalized":"1.3.42.10133"}',
];

describe.skipIf(!present)('nuget oracles (../shared/testdata/versions)', () => {
  it('nuget: compare', () =>
    run('nuget', (c) => nugetScheme.compare(c.a as string, c.b as string) === c.cmp));

  it('nuget.parse: validity and normalised form', () =>
    run(
      'nuget.parse',
      (c) => {
        const version = c.version as string;
        if (nugetScheme.isValid(version) !== c.valid) return false;
        return c.normalized === undefined || nugetScheme.normalize(version) === c.normalized;
      },
      NOT_NUGET_VERSION_PARSE,
    ));

  it('nuget.range: version ranges', () =>
    run('nuget.range', (c) => nugetScheme.matches(c.version as string, c.range as string) === c.included));
});
