import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { cargoScheme } from './index.js';

describeVersionScheme(cargoScheme, {
  ordered: [
    '0.0.0',
    '0.1.0-alpha',
    '0.1.0-alpha.1',
    '0.1.0-beta',
    '0.1.0',
    '1.0.0',
    '1.10.0',
    '18446744073709551615.0.0',
  ],
  equal: [['1.0.0+a', '1.0.0+b']],
  invalid: ['', 'v1.0.0', '1.0', '1.0.0.0', '01.0.0', '1.0.0-01', '18446744073709551616.0.0', '1.0.0-'],
});

describe('cargo (crates.io)', () => {
  it('ignores build metadata for precedence', () => {
    expect(cargoScheme.compare('1.0.0+build.1', '1.0.0')).toBe(0);
  });
});
