/**
 * The oracle runner: every case of every file in ../shared/testdata/versions goes through the
 * public API and must pass, except the cases listed in exclusions.json (wrong by the current
 * reference tool, with the reason). Files whose scheme is not registered yet are reported pending.
 * Prints "file: passed/total" per file. Skips (fails in CI) when the shared directory is absent: test/support/shared-data.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeWithShared, hasSharedData, SHARED_DIR } from '../../test/support/shared-data.js';
import { getVersionScheme, getVersionSchemeById, type VersionScheme, versionSchemes } from './index.js';
import { evaluateCase, type OracleCase, type OracleFile, schemeFolderFor } from './oracle-cases.js';

const DIR = join(SHARED_DIR, 'testdata/versions/');
const present = hasSharedData('testdata/versions');
const files = present
  ? readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];

interface Exclusion {
  file: string;
  case: Record<string, unknown>;
  reason: string;
}
const exclusions: Exclusion[] = JSON.parse(
  readFileSync(new URL('./exclusions.json', import.meta.url), 'utf8'),
).exclusions;

function caseKey(c: OracleCase): string {
  const { src: _src, ...rest } = c as Record<string, unknown>;
  return JSON.stringify(rest);
}

function loadFile(name: string): OracleFile {
  return JSON.parse(readFileSync(`${DIR}${name}`, 'utf8')) as OracleFile;
}

/** The scheme a compare/parse/range file is about, or undefined when it is not registered yet. */
function findScheme(file: OracleFile): VersionScheme | undefined {
  const folder = schemeFolderFor(file);
  if (folder) return Object.hasOwn(versionSchemes, folder) ? getVersionSchemeById(folder) : undefined;
  try {
    return getVersionScheme(file.ecosystem);
  } catch {
    return undefined;
  }
}

describeWithShared(present, 'testdata/versions', 'versioning oracles (../shared/testdata/versions)', () => {
  for (const name of files) {
    const file = loadFile(name);
    const folder = schemeFolderFor(file);
    const pending = file.kind !== 'vers' && file.kind !== 'osv-affected' && !findScheme(file);
    it.skipIf(pending)(
      `${name} (${file.kind}, ${file.cases.length} cases)${pending ? ` pending: scheme ${folder ?? file.ecosystem} not registered yet` : ''}`,
      async () => {
        const excluded = new Map(
          exclusions.filter((e) => e.file === name).map((e) => [JSON.stringify(e.case), e]),
        );
        const failures: string[] = [];
        let passed = 0;
        let skipped = 0;
        for (const c of file.cases) {
          const outcome = await evaluateCase(file, c, findScheme(file));
          const key = caseKey(c);
          if (outcome === 'pending') skipped++;
          else if (excluded.has(key)) {
            if (outcome === true)
              failures.push(`excluded case now passes, remove it from exclusions.json: ${key}`);
            excluded.delete(key);
          } else if (outcome === true) passed++;
          else failures.push(`${key} -> ${outcome}`);
        }
        for (const key of excluded.keys())
          failures.push(`exclusions.json lists a case that is not in ${name}: ${key}`);
        const extra = [
          skipped ? `${skipped} pending` : '',
          exclusions.some((e) => e.file === name) ? 'with exclusions' : '',
        ]
          .filter(Boolean)
          .join(', ');
        console.log(`${name}: ${passed}/${file.cases.length}${extra ? ` (${extra})` : ''}`);
        expect(failures.slice(0, 25), `${failures.length} failing cases in ${name}`).toEqual([]);
      },
    );
  }
});

describeWithShared(
  present,
  'testdata/versions',
  'compare is a total order on oracle versions (fast-check)',
  () => {
    const byScheme = new Map<VersionScheme, Set<string>>();
    for (const name of files) {
      const file = loadFile(name);
      const scheme = file.kind === 'compare' ? findScheme(file) : undefined;
      if (!scheme) continue;
      const pool = byScheme.get(scheme) ?? new Set<string>();
      for (const c of file.cases)
        for (const v of [c.a, c.b]) if (typeof v === 'string' && scheme.isValid(v)) pool.add(v);
      byScheme.set(scheme, pool);
    }
    for (const [scheme, pool] of byScheme) {
      const versions = [...pool];
      const pick = fc.constantFrom(...versions);
      it(`${scheme.id}: antisymmetric and transitive (${versions.length} versions)`, () => {
        fc.assert(
          fc.property(pick, pick, pick, (a, b, c) => {
            const ab = scheme.compare(a, b);
            expect(scheme.compare(b, a)).toBe(-ab || 0);
            if (ab <= 0 && scheme.compare(b, c) <= 0) expect(scheme.compare(a, c)).toBeLessThanOrEqual(0);
          }),
          { numRuns: 500 },
        );
      });
    }
  },
);
