import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mavenScheme } from './index.js';

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

// maven.generated.json was produced with an older maven-artifact (3.8-style parsing: no ".X as -X"
// rule of MNG-7644, no combination items such as "rc1"); current ComparableVersion, which the
// hand-written ComparableVersionTest cases pin, orders these pairs the other way.
const OLDER_MAVEN_PAIRS: readonly string[] = [
  '{"a":"3.2.0rc2","b":"3.2.0-rc.1","cmp":-1}',
  '{"a":"1.0.0-RC16","b":"1.0.0.RC8-beta","cmp":-1}',
  '{"a":"1.0.0-gradle-rework-beta3","b":"1.0.0.RC7-3","cmp":-1}',
  '{"a":"2.9.0-1","b":"2.9.0.RC1","cmp":-1}',
  '{"a":"6.1.12.rc5","b":"6.1.12rc1","cmp":-1}',
  '{"a":"1.1.34.sec10","b":"1.1.34_noneautotype","cmp":-1}',
  '{"a":"1.1.46.sec10","b":"1.1.46_noneautotype","cmp":-1}',
  '{"a":"1.2.8.sec10_noneautotype","b":"1.2.8_noneautotype","cmp":-1}',
  '{"a":"1.2.48.sec10","b":"1.2.48_noneautotype","cmp":-1}',
  '{"a":"1.0.0rc0","b":"1.0.beta8","cmp":-1}',
  '{"a":"1.1.0-01-glassfish","b":"1.1.0.Beta1","cmp":-1}',
];

describe.skipIf(!present)('maven oracles (../shared/testdata/versions)', () => {
  for (const name of ['maven', 'maven.generated']) {
    it(`${name}: compare`, () =>
      run(name, (c) => mavenScheme.compare(c.a as string, c.b as string) === c.cmp, OLDER_MAVEN_PAIRS));
  }

  it('maven.range: version ranges', () =>
    run('maven.range', (c) => mavenScheme.matches(c.version as string, c.range as string) === c.included));
});
