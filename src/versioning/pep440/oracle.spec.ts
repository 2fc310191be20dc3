import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pep440Scheme } from './index.js';

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

describe.skipIf(!present)('pep440 oracles (../shared/testdata/versions)', () => {
  for (const name of ['pypi', 'pypi.generated']) {
    it(`${name}: compare`, () =>
      run(name, (c) => pep440Scheme.compare(c.a as string, c.b as string) === c.cmp));
  }

  it('pypi.parse: validity and normalised form', () =>
    run('pypi.parse', (c) => {
      const version = c.version as string;
      if (pep440Scheme.isValid(version) !== c.valid) return false;
      return c.normalized === undefined || pep440Scheme.normalize(version) === c.normalized;
    }));

  it('pypi.range: specifier sets', () =>
    run('pypi.range', (c) => {
      const options = c.options as { prereleases?: boolean } | undefined;
      return pep440Scheme.matches(c.version as string, c.range as string, options) === c.included;
    }));
});
