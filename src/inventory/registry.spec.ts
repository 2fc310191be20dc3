import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getDetectHead } from './contract.js';
import { INVENTORY_FORMATS } from './registry.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const members = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${here}${d.name}/index.ts`))
  .map((d) => d.name)
  .sort();

function listFixtures(member: string): string[] {
  const dir = `${here}${member}/__fixtures__/`;
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(`${path}${entry.name}/`);
      else out.push(`${path}${entry.name}`);
    }
  };
  walk(dir);
  return out;
}

describe('inventory registry', () => {
  it('registers every format folder, under its folder name, once', () => {
    const ids = INVENTORY_FORMATS.map((format) => format.id);
    expect([...ids].sort()).toEqual(members);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(members)('%s has a readme.md and an index.spec.ts', (member) => {
    expect(existsSync(`${here}${member}/readme.md`), `${member}/readme.md`).toBe(true);
    expect(existsSync(`${here}${member}/index.spec.ts`), `${member}/index.spec.ts`).toBe(true);
  });

  it('never lets two formats claim the same fixture', () => {
    for (const member of members) {
      for (const path of listFixtures(member)) {
        const head = getDetectHead(readFileSync(path));
        const name = path.slice(path.lastIndexOf('/') + 1);
        const claims = INVENTORY_FORMATS.filter((format) => format.detect(name, head)).map(
          (format) => format.id,
        );
        expect(claims.length <= 1, `${path} is claimed by ${claims.join(', ')}`).toBe(true);
      }
    }
  });
});
