import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, loadFixture } from '../contract.js';
import { osReleaseFormat } from './index.js';

const dir = new URL('./__fixtures__/', import.meta.url);
const fixtures = ['debian-12', 'ubuntu-22.04', 'alpine-3.20', 'almalinux-9'].map((name) => ({
  file: `${name}.os-release`,
}));

// A cut inside an unquoted value (ID=debi) still reads as os-release; unterminated quotes are caught.
describeInventoryFormat(osReleaseFormat, { dir, fixtures, packages: 'none', truncation: 'undetectable' });

describe('os-release', () => {
  it.each([
    ['debian-12', 'Debian:12', 'Debian GNU/Linux 12 (bookworm)'],
    ['ubuntu-22.04', 'Ubuntu:22.04:LTS', 'Ubuntu 22.04.4 LTS'],
    ['alpine-3.20', 'Alpine:v3.20', 'Alpine Linux v3.20'],
    ['almalinux-9', 'AlmaLinux:9', 'AlmaLinux 9.4 (Seafoam Ocelot)'],
  ])('%s → %s', (name, osEcosystem, prettyName) => {
    const result = osReleaseFormat.parse(loadFixture(dir, `${name}.os-release`));
    expect(result.asset).toMatchObject({ osEcosystem, name: prettyName });
    expect(result.packages).toEqual([]);
  });

  it('warns, without failing, on a distribution OSV does not cover', () => {
    const result = osReleaseFormat.parse({
      path: 'os-release',
      content: Buffer.from('ID=plan9\nVERSION_ID=4\n'),
    });
    expect(result.asset.osEcosystem).toBeUndefined();
    expect(result.warnings[0]).toContain('plan9');
  });

  it('names the line of an unterminated quote', () => {
    expect(() =>
      osReleaseFormat.parse({ path: 'os-release', content: Buffer.from('ID=debian\nNAME="Deb\n') }),
    ).toThrow(/os-release:line 2/);
  });
});
