import { describe, expect, it } from 'vitest';
import { EXCERPT_BYTES, makeExcerpt } from './excerpt.js';

describe('makeExcerpt', () => {
  it('keeps short output whole', () => {
    expect(makeExcerpt('Setting up pcdemo (1.0-2) ...\n')).toBe('Setting up pcdemo (1.0-2) ...\n');
  });

  it('keeps the head and the tail of long output within the limit, even cut inside characters', () => {
    const text = `Reading package lists...\n${'é'.repeat(10_000)}\nE: Sub-process /usr/bin/dpkg returned an error code (1)\n`;
    const excerpt = makeExcerpt(text);
    expect(Buffer.byteLength(excerpt)).toBeLessThanOrEqual(EXCERPT_BYTES);
    expect(excerpt.startsWith('Reading package lists...')).toBe(true);
    expect(excerpt.endsWith('returned an error code (1)\n')).toBe(true);
    expect(excerpt).toContain('the middle left out');
  });
});
