import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getVersionScheme, listEcosystems, UnknownEcosystemError, versionSchemes } from './index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const members = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${here}${d.name}/index.ts`))
  .map((d) => d.name)
  .sort();

describe('versioning registry', () => {
  it('registers every scheme folder, under its folder name', () => {
    expect(Object.keys(versionSchemes).sort()).toEqual(members);
    for (const [id, scheme] of Object.entries(versionSchemes)) expect(scheme.id).toBe(id);
  });

  it.each(members)('%s has a readme.md and an index.spec.ts', (member) => {
    expect(existsSync(`${here}${member}/readme.md`)).toBe(true);
    expect(existsSync(`${here}${member}/index.spec.ts`)).toBe(true);
  });

  it('gives each OSV ecosystem to exactly one scheme', () => {
    const seen = new Map<string, string>();
    for (const scheme of Object.values(versionSchemes)) {
      for (const ecosystem of scheme.ecosystems) {
        expect(seen.get(ecosystem), `${ecosystem}: ${seen.get(ecosystem)} and ${scheme.id}`).toBeUndefined();
        seen.set(ecosystem, scheme.id);
      }
    }
    expect(listEcosystems()).toEqual([...seen.keys()].sort((a, b) => a.localeCompare(b, 'en')));
  });

  it('resolves an ecosystem with a release suffix by the part before the first colon', () => {
    expect(getVersionScheme('npm').id).toBe('npm');
    expect(getVersionScheme('Go').id).toBe('go');
    expect(getVersionScheme('crates.io').id).toBe('cargo');
    if (Object.hasOwn(versionSchemes, 'dpkg')) {
      expect(getVersionScheme('Debian:12').id).toBe('dpkg');
      expect(getVersionScheme('Ubuntu:22.04:LTS').id).toBe('dpkg');
    }
    if (Object.hasOwn(versionSchemes, 'apk')) expect(getVersionScheme('Alpine:v3.20').id).toBe('apk');
  });

  it('names the known ecosystems when asked for an unknown one', () => {
    expect(() => getVersionScheme('Nonesuch')).toThrow(UnknownEcosystemError);
    try {
      getVersionScheme('Nonesuch');
    } catch (error) {
      expect((error as UnknownEcosystemError).code).toBe('VERSION_UNKNOWN_ECOSYSTEM');
      expect((error as Error).message).toContain('npm');
    }
  });
});
