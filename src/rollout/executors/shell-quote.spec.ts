import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteArgv, quoteForShell } from './shell-quote.js';

// The real test is a real shell: what `sh` receives after parsing the quoted line must be the
// original arguments, byte for byte. printf '%s\0' prints each one NUL-terminated (and, given no
// argument at all, one empty string: hence at least one).
function throughShell(args: readonly string[]): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${quoteArgv(args)}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const NASTY = [
  "it's",
  "'",
  "''",
  'two words',
  '$(touch /tmp/patchcast-should-not-exist)',
  '`id`',
  '$HOME',
  '"double"',
  'back\\slash',
  'new\nline',
  'tab\there',
  '*',
  '; rm -rf /',
  '&& echo',
  '|',
  '!',
  '~',
  '-n',
  '',
  'ünïcödé',
  "a'b'c\\'d",
];

describe('quoteForShell', () => {
  it('passes quotes, spaces, expansions and operators through sh unchanged', () => {
    expect(throughShell(NASTY)).toEqual(NASTY);
  });

  it('holds for any string without NUL', () => {
    const arg = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
    fc.assert(
      fc.property(fc.array(arg, { minLength: 1, maxLength: 4 }), (args) => {
        expect(throughShell(args)).toEqual(args);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a NUL byte, which no argv can carry', () => {
    expect(() => quoteForShell('a\0b')).toThrow(/NUL/);
  });

  it('writes the closing-quote escape POSIX prescribes', () => {
    expect(quoteForShell("it's")).toBe("'it'\\''s'");
  });
});
