/**
 * The shared contract suite every scheme runs from its index.spec.ts:
 * `describeVersionScheme(scheme, samples)`; and `describeCompareOracles(scheme, files)`, which checks a
 * scheme against the reference tool's answers in the shared test data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeWithShared, hasSharedData, SHARED_DIR } from '../../test/support/shared-data.js';
import { InvalidVersionError } from './errors.js';
import type { VersionScheme } from './types.js';

export interface SchemeSamples {
  /** Valid versions in strictly increasing order. */
  ordered: readonly string[];
  /** Pairs of different strings with equal precedence. */
  equal?: readonly (readonly [string, string])[];
  /** Strings the scheme rejects. */
  invalid: readonly string[];
  /** `[version, native range, included]` for schemes with `matches`. */
  ranges?: readonly (readonly [string, string, boolean])[];
  /**
   * How `compare` treats an invalid string: `throws` (the contract's default) or `lowest`, for a
   * scheme whose reference tool defines a total order over all strings (Go's x/mod).
   */
  invalidCompare?: 'throws' | 'lowest';
}

function pairs<T>(items: readonly T[]): [T, T][] {
  const out: [T, T][] = [];
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) out.push([items[i] as T, items[j] as T]);
  return out;
}

export function describeVersionScheme(scheme: VersionScheme, samples: SchemeSamples): void {
  describe(`VersionScheme contract: ${scheme.id}`, () => {
    it('has an id and serves at least one OSV ecosystem', () => {
      expect(scheme.id).toMatch(/^[a-z0-9-]+$/);
      expect(scheme.ecosystems.length).toBeGreaterThan(0);
    });

    it('accepts the valid samples and rejects the invalid ones', () => {
      for (const v of samples.ordered) expect(scheme.isValid(v), v).toBe(true);
      for (const v of samples.invalid) expect(scheme.isValid(v), v).toBe(false);
    });

    it('isValid never throws, whatever it is given', () => {
      for (const v of ['', ' ', '\u0000', 'a'.repeat(10_000), null, undefined, 42, {}]) {
        expect(() => scheme.isValid(v as string)).not.toThrow();
      }
    });

    it('orders the samples: -1 / 1 in both directions, 0 with itself', () => {
      for (const v of samples.ordered) expect(scheme.compare(v, v), v).toBe(0);
      for (const [a, b] of pairs(samples.ordered)) {
        expect(scheme.compare(a, b), `${a} < ${b}`).toBe(-1);
        expect(scheme.compare(b, a), `${b} > ${a}`).toBe(1);
      }
    });

    it('gives equal precedence to the equal pairs', () => {
      for (const [a, b] of samples.equal ?? []) {
        expect(scheme.compare(a, b), `${a} == ${b}`).toBe(0);
        expect(scheme.compare(b, a), `${b} == ${a}`).toBe(0);
      }
    });

    it(`treats invalid strings in compare as documented (${samples.invalidCompare ?? 'throws'})`, () => {
      const valid = samples.ordered[0] as string;
      for (const bad of samples.invalid) {
        if (samples.invalidCompare === 'lowest') {
          expect(scheme.compare(bad, valid), bad).toBe(-1);
          expect(scheme.compare(valid, bad), bad).toBe(1);
        } else {
          expect(() => scheme.compare(bad, valid), bad).toThrow(InvalidVersionError);
          expect(() => scheme.compare(valid, bad), bad).toThrow(InvalidVersionError);
        }
      }
    });

    it.skipIf(!scheme.normalize)(
      'normalize gives a valid version of equal precedence, and is idempotent',
      () => {
        const normalize = scheme.normalize as (v: string) => string;
        for (const v of samples.ordered) {
          const n = normalize(v);
          expect(scheme.isValid(n), `${v} -> ${n}`).toBe(true);
          expect(scheme.compare(n, v), `${v} -> ${n}`).toBe(0);
          expect(normalize(n)).toBe(n);
        }
        for (const bad of samples.invalid) expect(() => normalize(bad), bad).toThrow(InvalidVersionError);
      },
    );

    it.skipIf(!samples.ranges?.length)('matches native ranges', () => {
      const matches = scheme.matches as (v: string, r: string) => boolean;
      for (const [version, range, included] of samples.ranges ?? []) {
        expect(matches(version, range), `${version} in ${range}`).toBe(included);
      }
    });
  });
}

/** The shared version oracles (`../shared/testdata/versions`, see its README); absent on some machines. */
const ORACLES = join(SHARED_DIR, 'testdata/versions/');

interface CompareCase {
  a: string;
  b: string;
  cmp: -1 | 0 | 1;
}

/**
 * One test per compare-oracle file (`{ cases: [{ a, b, cmp }] }`, e.g. `rpm.json`): `scheme.compare`
 * agrees with every case. Skipped, naming the directory looked in, when the shared data is absent.
 */
export function describeCompareOracles(scheme: VersionScheme, files: readonly string[]): void {
  const found = hasSharedData('testdata/versions');
  describeWithShared(found, 'testdata/versions', `${scheme.id} scheme against the shared oracles`, () => {
    for (const file of files) {
      it(`passes every case of ${file}`, () => {
        const cases = JSON.parse(readFileSync(`${ORACLES}${file}`, 'utf8')).cases as CompareCase[];
        expect(cases.filter((c) => scheme.compare(c.a, c.b) !== c.cmp)).toEqual([]);
        expect(cases.length).toBeGreaterThan(0);
      });
    }
  });
}
