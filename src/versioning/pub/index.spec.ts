import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { pubScheme } from './index.js';

describeVersionScheme(pubScheme, {
  ordered: [
    '1.0.0-alpha',
    '1.0.0-pre',
    '1.0.0-pre+build',
    '1.0.0',
    '1.2.3',
    '1.2.3+1',
    '1.2.3+2',
    '1.2.3+900',
    '1.2.3+a',
    '1.2.3+a1',
  ],
  equal: [['1.2.3', 'v1.2.3']],
  invalid: ['', 'bad', '1.2.3+', '1.2.3-'],
});

describe('pub (pub_semver)', () => {
  it('orders build metadata: none < numeric < text', () => {
    expect(pubScheme.compare('1.2.3', '1.2.3+0')).toBe(-1);
    expect(pubScheme.compare('1.2.3+9d', '1.2.3+1z')).toBe(1);
    expect(pubScheme.compare('1.2.3-beta+build', '1.2.3-beta+otherbuild')).toBe(-1);
  });
});
