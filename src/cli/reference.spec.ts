import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeProgram } from './program.js';
import { replaceCliReference } from './reference.js';

describe('CLI reference', () => {
  it('README.md documents every command as its --help prints it (run scripts/generate-cli-docs.ts)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(replaceCliReference(readme)).toBe(readme);
  });

  it('every command that prints data offers --json (declared once, globally)', () => {
    const program = makeProgram();
    expect(program.options.map((o) => o.long)).toEqual(
      expect.arrayContaining(['--json', '--verbose', '--config', '--version']),
    );
  });
});
