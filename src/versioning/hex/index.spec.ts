import { describe, expect, it } from 'vitest';
import { describeVersionScheme } from '../contract.js';
import { hexScheme } from './index.js';

describeVersionScheme(hexScheme, {
  ordered: [
    '0.0.1',
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.2.0',
    '2.0.0',
  ],
  equal: [['1.0.0+20130313144700', '1.0.0']],
  invalid: ['', '1.0', 'v1.0.0', '01.0.0', '1.0.0-', 'latest'],
});

describe('hex (Elixir Version)', () => {
  it('ranks numeric pre-release identifiers below alphanumeric ones', () => {
    expect(hexScheme.compare('1.0.0-1', '1.0.0-a')).toBe(-1);
  });
});
