import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareWithOperator, packagistScheme } from './index.js';

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

describe.skipIf(!present)('packagist oracles (../shared/testdata/versions)', () => {
  for (const name of ['packagist', 'packagist.generated']) {
    it(`${name}: compare`, () =>
      run(name, (c) => packagistScheme.compare(c.a as string, c.b as string) === c.cmp));
  }

  it('packagist.ops: Comparator::compare', () =>
    run(
      'packagist.ops',
      (c) => compareWithOperator(c.a as string, c.op as string, c.b as string) === c.holds,
    ));

  it('packagist.range: constraints', () =>
    run(
      'packagist.range',
      (c) => packagistScheme.matches(c.version as string, c.range as string) === c.included,
    ));
});
