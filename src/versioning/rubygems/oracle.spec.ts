import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rubygemsScheme } from './index.js';

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

describe.skipIf(!present)('rubygems oracles (../shared/testdata/versions)', () => {
  for (const name of ['rubygems', 'rubygems.generated']) {
    it(`${name}: compare`, () =>
      run(name, (c) => rubygemsScheme.compare(c.a as string, c.b as string) === c.cmp));
  }

  it('rubygems.range: Gem::Requirement', () =>
    run(
      'rubygems.range',
      (c) => rubygemsScheme.matches(c.version as string, c.range as string) === c.included,
    ));
});
