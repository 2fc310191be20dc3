import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, loadFixture } from '../contract.js';
import { spdxFormat } from './index.js';

const dir = new URL('./__fixtures__/', import.meta.url);
const DEEP = 10_000;

describeInventoryFormat(spdxFormat, {
  dir,
  fixtures: [
    { file: 'only-unimportant.spdx.json' },
    { file: 'debian-image.spdx' },
    { file: 'hello-npm.spdx3.json' },
  ],
  hostile: [
    {
      name: 'packages nested 10,000 deep',
      content: '{"spdxVersion":"SPDX-2.3","packages":' + '['.repeat(DEEP) + ']'.repeat(DEEP) + '}',
    },
    {
      name: 'an unclosed <text> block',
      content: 'SPDXVersion: SPDX-2.3\nDocumentComment: <text>never closed\n',
    },
    { name: 'JSON that is not SPDX', content: '{"bomFormat":"CycloneDX"}' },
  ],
});

const parse = (file: string) => spdxFormat.parse(loadFixture(dir, file));

describe('spdx', () => {
  it('reads osv-scanner only-unimportant (SPDX 2.3 JSON): Ubuntu 20.04 pcre3 from distro=focal', () => {
    expect(parse('only-unimportant.spdx.json').packages).toEqual([
      expect.objectContaining({
        ecosystem: 'Ubuntu:20.04:LTS',
        name: 'pcre3',
        version: '2:8.39-12ubuntu0.1',
        sourceName: 'pcre3',
      }),
    ]);
  });

  it('reads tag-value: the described image as the asset, the OS package as its release', () => {
    const result = parse('debian-image.spdx');
    expect(result.asset).toEqual({
      name: 'debian',
      version: 'bookworm-20241202',
      kind: 'container-image',
      osEcosystem: 'Debian:12',
    });
    expect(result.packages.map((p) => [p.ecosystem, p.name, p.version, p.sourceName])).toEqual([
      ['Debian:12', 'libssl3', '3.0.15-1~deb12u1', 'openssl'],
      ['Debian:12', 'tzdata', '2024a-0+deb12u1', 'tzdata'],
    ]);
  });

  it('reads SPDX 3.0 JSON-LD: software_packageUrl and packageUrl external identifiers', () => {
    const result = parse('hello-npm.spdx3.json');
    expect(result.asset).toEqual({ name: 'hello-npm', version: '1.2.0', kind: 'application' });
    expect(result.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version}`)).toEqual([
      'npm lodash 4.17.20',
      'npm @types/node 20.11.5',
    ]);
  });

  it('warns about packages without a purl instead of guessing their ecosystem', () => {
    const content = Buffer.from(
      JSON.stringify({
        spdxVersion: 'SPDX-2.2',
        packages: [{ SPDXID: 'SPDXRef-a', name: 'JUnit', versionInfo: '3.8.1' }],
      }),
    );
    const result = spdxFormat.parse({ path: 'a.spdx.json', content });
    expect(result.packages).toEqual([]);
    expect(result.warnings).toEqual(['/packages/0: package JUnit has no purl external reference; skipped']);
  });
});
