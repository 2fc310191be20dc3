import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { InvalidRangeError, InvalidVersionError } from '../errors.js';
import { compareWithOperator, normalizeComposerVersion as normalize, packagistScheme as s } from './index.js';

describeVersionScheme(s, {
  ordered: ['1.0-dev', '1.0alpha1', '1.0-beta2', '1.0RC1', '1.0', 'v1.0.1', '1.0.1pl1', '1.2.3', '10.0'],
  equal: [
    ['1.0.0rc2', '1.0.0.rc2'],
    ['v1.0', '1.0'],
    ['1.25.0beta2.1', '1.25.0-b2.1'],
  ],
  invalid: ['', '  '],
  ranges: [
    ['1.3.0', '^1.2.3', true],
    ['2.0.0', '^1.2.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['2.1.3', '1.2.* || 2.*', true],
    ['1.5.0', '>=1.0 <2.0', true],
  ],
});

describe('packagist', () => {
  it('normalises like composer', () => {
    expect(normalize('v1.2-b2')).toBe('1.2.0.0-beta2');
    expect(normalize('2.x-dev')).toBe('2.9999999.9999999.9999999-dev');
    expect(normalize('dev-main')).toBe('dev-main');
    expect(s.isValid('1.2.3.#')).toBe(false);
    expect(() => normalize('not a version')).toThrow(InvalidVersionError);
  });

  it('follows composer constraint rules', () => {
    expect(s.matches('1.0.0beta', '<1')).toBe(false);
    expect(s.matches('1.3.0-beta', '>1.2')).toBe(true);
    expect(s.matches('2.4.3-alpha', '1.2.3+asdf - 2.4.3+asdf')).toBe(true);
    expect(s.matches('dev-main', '>=1.0')).toBe(false);
    expect(() => s.matches('1.0', '~>1.0')).toThrow(InvalidRangeError);
  });

  it('compares with an operator like Comparator::compare', () => {
    expect(compareWithOperator('dev-foo', '<', '1.26.0')).toBe(true);
    expect(compareWithOperator('dev-foo', '==', 'dev-foo')).toBe(true);
    expect(compareWithOperator('1.25.0', '<>', '1.25.0')).toBe(false);
    expect(() => compareWithOperator('1', '=>', '2')).toThrow(InvalidRangeError);
  });
});
