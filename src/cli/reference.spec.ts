import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProgram } from './program.js';
import { replaceCliReference } from './reference.js';

describe('CLI reference', () => {
  it('README.md documents every command as its --help prints it (run scripts/generate-cli-docs.ts)', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(await replaceCliReference(readme)).toBe(readme);
  });

  it('every command that prints data offers --json (declared once, globally)', async () => {
    const program = await loadProgram();
    expect(program.options.map((o) => o.long)).toEqual(
      expect.arrayContaining(['--json', '--verbose', '--config', '--version']),
    );
  });
});
