import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, loadFixture } from '../contract.js';
import { cyclonedxFormat } from './index.js';

const dir = new URL('./__fixtures__/', import.meta.url);
const DEEP = 10_000;
const cdxJsonHead = '{"bomFormat":"CycloneDX","specVersion":"1.5","components":';
const cdxXmlHead = '<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components>';

describeInventoryFormat(cyclonedxFormat, {
  dir,
  fixtures: [
    { file: 'postgres-stretch.trimmed.cdx.xml' },
    { file: 'alpine.cdx.xml' },
    { file: 'with-duplicates.cdx.xml' },
    { file: 'alpine-zlib-16.cdx.json' },
    { file: 'cern-lhc-vdm-editor.bom.json' },
    { file: 'centos-7-cyclonedx.json' },
    { file: 'fluentd-multiple-lockfiles-cyclonedx.json' },
  ],
  hostile: [
    {
      name: 'components nested 10,000 deep (JSON)',
      content: cdxJsonHead + '[{"components":'.repeat(DEEP) + '[]' + '}]'.repeat(DEEP) + '}',
    },
    {
      name: 'components nested 10,000 deep (XML)',
      content:
        cdxXmlHead +
        '<component><components>'.repeat(DEEP) +
        '</components></component>'.repeat(DEEP) +
        '</components></bom>',
    },
    {
      name: 'entity expansion (billion laughs)',
      content: `<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${cdxXmlHead}<component type="library"><name>&b;</name><version>1</version><purl>pkg:npm/x@1</purl></component></components></bom>`,
    },
    {
      name: 'external entity (XXE)',
      content: `<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY x SYSTEM "file:///etc/passwd">]>${cdxXmlHead}</components></bom>`,
    },
    { name: 'a JSON document that is not a BOM', content: '{"bomFormat":"SPDX","components":[]}' },
  ],
});

const parse = (file: string) => cyclonedxFormat.parse(loadFixture(dir, file));

describe('cyclonedx', () => {
  it('reads the postgres:11.15-stretch image (syft XML): Debian 9 packages with their upstream source', () => {
    const result = parse('postgres-stretch.trimmed.cdx.xml');
    expect(result.asset).toEqual({
      name: 'postgres:11.15-stretch',
      version: 'sha256:84ac18036f93e18c3d8165e4fd9d9885924bb71beeab042dd50443d4f88fcdda',
      kind: 'container-image',
      osEcosystem: 'Debian:9',
    });
    expect(result.packages).toHaveLength(9);
    expect(result.packages.every((p) => p.ecosystem === 'Debian:9')).toBe(true);
    const byName = new Map(result.packages.map((p) => [p.name, p]));
    expect(byName.get('openssl')).toMatchObject({ version: '1.1.0l-1~deb9u5', sourceName: 'openssl' });
    expect(byName.get('libssl1.1')).toMatchObject({ version: '1.1.0l-1~deb9u5', sourceName: 'openssl' });
    expect(byName.get('zlib1g')).toMatchObject({
      version: '1:1.2.8.dfsg-5+deb9u1',
      sourceName: 'zlib',
      purl: 'pkg:deb/debian/zlib1g@1:1.2.8.dfsg-5+deb9u1?arch=amd64&distro=debian-9&upstream=zlib',
    });
  });

  it('dedupes identical components (osv-scanner with-duplicates: 19 components → 14 packages)', () => {
    const result = parse('with-duplicates.cdx.xml');
    expect(result.packages).toHaveLength(14);
    expect(new Set(result.packages.map((p) => `${p.name}@${p.version}`)).size).toBe(14);
    expect(result.packages.find((p) => p.name === 'libcrypto3')).toMatchObject({
      ecosystem: 'Alpine:v3.17',
      version: '3.0.8-r0',
      sourceName: 'openssl',
    });
  });

  it('warns about components it cannot match (no purl, CPE only) instead of failing', () => {
    const result = parse('alpine.cdx.xml');
    expect(result.packages).toHaveLength(14);
    expect(result.warnings).toEqual([
      expect.stringContaining('busybox@1.35.0 has no purl (CPE cpe:2.3:a:busybox'),
    ]);
  });

  it('takes the Alpine release from a bare distro qualifier (scalibr: distro=3.22.0)', () => {
    expect(parse('alpine-zlib-16.cdx.json').packages).toEqual([
      expect.objectContaining({
        ecosystem: 'Alpine:v3.22',
        name: 'zlib',
        version: '1.2.12-r1',
        sourceName: 'zlib',
      }),
    ]);
  });

  it('reads Trivy source properties and RPM epochs (centos:7)', () => {
    const result = parse('centos-7-cyclonedx.json');
    expect(result.asset).toMatchObject({
      kind: 'container-image',
      osEcosystem: 'Red Hat:enterprise_linux:7',
    });
    expect(result.packages.map((p) => [p.name, p.version, p.sourceName, p.sourceVersion])).toEqual([
      ['bash', '4.2.46-31.el7', 'bash', '4.2.46-31.el7'],
      ['openssl-libs', '1:1.0.2k-16.el7', 'openssl', '1:1.0.2k-16.el7'],
    ]);
  });

  it('reads nested components and mixes OS and language packages (fluentd image)', () => {
    const result = parse('fluentd-multiple-lockfiles-cyclonedx.json');
    expect(result.asset.osEcosystem).toBe('Debian:10');
    expect(result.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version}`)).toEqual([
      'Debian:10 bash 5.0-4',
      'Debian:10 libidn2-0 2.0.5-1',
      'RubyGems activesupport 6.0.2.1',
    ]);
  });

  it('reads an npm application BOM: 43 packages, the app as the asset', () => {
    const result = parse('cern-lhc-vdm-editor.bom.json');
    expect(result.asset).toEqual({ name: 'lhc-vdm-editor', version: '0.0.1', kind: 'application' });
    expect(result.packages).toHaveLength(43);
    expect(result.packages[0]).toMatchObject({ ecosystem: 'npm', name: 'puppeteer', version: '1.19.0' });
  });

  it('names the line and column of broken XML', () => {
    const content = Buffer.from(
      `${'<?xml version="1.0"?>\n'}<bom xmlns="http://cyclonedx.org/schema/bom/1.4">\n<components>\n</bom>`,
    );
    expect(() => cyclonedxFormat.parse({ path: 'bom.xml', content })).toThrow(
      /bom.xml:line \d+, column \d+: invalid XML/,
    );
  });
});
