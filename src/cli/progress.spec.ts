import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeProgress } from './progress.js';

describe('progress display', () => {
  it('steps aside when the output is not a terminal', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    let written = '';
    (stream as unknown as PassThrough).on('data', (c: Buffer) => {
      written += c.toString();
    });
    const progress = makeProgress({ stream });
    progress.start(10, 'import');
    progress.increment(5);
    progress.stop();
    expect(written).toBe('');
  });
});
