import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itWithShared } from '../../../test/support/shared-data.js';
import { getTrivyCasePath, loadTrivyCase } from '../../../test/support/trivy-oracle.js';
import { describeInventoryFormat, makeFormatSpecHelpers } from '../contract.js';
import { interpolate, mavenPomFormat } from './index.js';

const { fixture, parse } = makeFormatSpecHelpers(
  mavenPomFormat,
  new URL('./__fixtures__/', import.meta.url),
  'svc/pom.xml',
);
/** A Maven property reference `${name}`, spelled without a template-looking literal. */
const ref = (name: string) => `$${'{'}${name}}`;
const pom = (body: string) =>
  `<?xml version="1.0"?>\n<project><groupId>g</groupId><artifactId>a</artifactId><version>1</version>${body}</project>`;

describe('maven-pom', () => {
  it('detects pom.xml and *.pom files', () => {
    expect(mavenPomFormat.detect('pom.xml', '<?xml')).toBe(true);
    expect(mavenPomFormat.detect('guava-31.1-jre.pom', '<?xml version="1.0"?><project>')).toBe(true);
    expect(mavenPomFormat.detect('settings.xml', '<settings>')).toBe(false);
  });

  it('reads dependencies with literal and property versions; test scope is dev; plugins are not packages', () => {
    const { packages, asset, warnings } = parse(fixture('pom.xml'));
    expect(warnings).toEqual([]);
    expect(asset).toEqual({ name: 'com.example:log4shell', version: '1.0-SNAPSHOT' });
    expect(packages.map((p) => [p.name, p.version, p.dev])).toEqual([
      ['javax.servlet:javax.servlet-api', '4.0.1', false],
      ['org.junit.jupiter:junit-jupiter-api', '5.7.1', true],
      ['org.junit.jupiter:junit-jupiter-engine', '5.7.1', true],
      ['com.fasterxml.jackson.core:jackson-databind', '2.9.1', false],
    ]);
    expect(packages[3]).toEqual({
      ecosystem: 'Maven',
      name: 'com.fasterxml.jackson.core:jackson-databind',
      version: '2.9.1',
      purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.1',
      location: 'line 41 (dependencies)',
      direct: true,
      dev: false,
    });
  });

  it('resolves nested properties, project and parent coordinates and managed versions; warns for the rest', () => {
    const { packages, asset, warnings } = parse(fixture('service.pom.xml'));
    expect(asset).toEqual({ name: 'com.example.platform:orders-service', version: '2.3.0' });
    expect(packages.map((p) => [p.name, p.version, p.direct, p.dev])).toEqual([
      ['com.fasterxml.jackson.core:jackson-databind', '2.13.4.2', true, false],
      ['org.apache.logging.log4j:log4j-core', '2.14.1', true, false],
      ['com.example.platform:orders-api', '2.3.0', true, false],
      ['org.junit.jupiter:junit-jupiter', '5.9.1', true, true],
      ['org.yaml:snakeyaml', '1.30', false, false],
    ]);
    expect(warnings).toEqual([
      'svc/pom.xml:line 61 (dependencies): skipped org.springframework.boot:spring-boot-starter-web: no version here (it comes from a parent POM or BOM, not fetched)',
      'svc/pom.xml:line 65 (dependencies): skipped commons-io:commons-io: version [2.7,3.0) is a range, not an exact version',
      `svc/pom.xml:line 70 (dependencies): skipped io.netty:netty-handler: version ${ref('netty.version')} is not resolvable from this file's properties`,
      'svc/pom.xml:line 26 (dependencyManagement): skipped org.springframework.boot:spring-boot-dependencies: an imported BOM, which is not fetched',
    ]);
  });

  it('stops at property cycles and at exponential property expansion', () => {
    const cycle = new Map([
      ['a', ref('b')],
      ['b', ref('a')],
    ]);
    expect(interpolate(ref('a'), cycle)).toBeUndefined();
    const laughs = new Map([['p0', 'lol'.repeat(10)]]);
    for (let i = 1; i < 10; i++) laughs.set(`p${i}`, ref(`p${i - 1}`).repeat(10));
    expect(interpolate(ref('p9'), laughs)).toBeUndefined();
  });

  it('refuses DOCTYPE and ENTITY declarations (no entity expansion)', () => {
    const bomb =
      '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<project>&lol2;</project>';
    expect(() => parse(bomb)).toThrow(/svc\/pom\.xml:line 2, column 1: DOCTYPE declaration refused/);
    const external = '<?xml version="1.0"?><!DOCTYPE p SYSTEM "file:///etc/passwd"><project/>';
    expect(() => parse(external)).toThrow(/DOCTYPE declaration refused/);
  });

  it('names the line of malformed or truncated XML, and refuses documents that are not POMs', () => {
    expect(() => parse(pom('<dependencies><dependency></dependencies>'))).toThrow(
      /svc\/pom\.xml:line 2, column \d+: invalid XML/,
    );
    expect(() => parse('<?xml version="1.0"?>\n<project>\n  <dependencies>')).toThrow(
      /invalid XML: .*truncated/,
    );
    expect(() => parse('<settings><servers/></settings>')).toThrow(/root element is not <project>/);
  });

  it('decodes the predefined XML entities only', () => {
    const { packages } = parse(
      pom(
        '<dependencies><dependency><groupId>a&amp;b</groupId><artifactId>c</artifactId><version>1.0</version></dependency></dependencies>',
      ),
    );
    expect(packages.map((p) => p.name)).toEqual(['a&b:c']);
  });

  const trivy = loadTrivyCase('pom');
  // Trivy's pom case lists no Packages (only vulnerabilities), so the check is that every
  // vulnerable PkgName@InstalledVersion is among the packages read here.
  itWithShared(
    trivy,
    getTrivyCasePath('pom'),
    'contains every package Trivy found vulnerable in its pom case',
    () => {
      const found = parse(readFileSync(trivy!.inputPath('pom.xml'))).packages.map(
        (p) => `${p.name}@${p.version}`,
      );
      expect(trivy!.vulnerable('pom.xml').length).toBeGreaterThan(0);
      for (const vulnerable of trivy!.vulnerable('pom.xml')) expect(found).toContain(vulnerable);
    },
  );
});

describeInventoryFormat(mavenPomFormat, {
  dir: new URL('./__fixtures__/', import.meta.url),
  fixtures: [{ file: 'pom.xml' }, { file: 'service.pom.xml', fileName: 'pom.xml' }],
  truncation: 'detected',
  hostile: [
    {
      name: 'a billion-laughs entity bomb',
      content:
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><project>&b;</project>',
    },
    {
      name: 'a huge artifactId',
      content: pom(
        `<dependencies><dependency><groupId>g</groupId><artifactId>${'x'.repeat(2_000_000)}</artifactId><version>1</version></dependency></dependencies>`,
      ),
    },
  ],
});
