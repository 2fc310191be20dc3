import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findVexStatement, isSuppressing, parseVexDocument } from './index.js';

const read = (name: string) =>
  parseVexDocument(name, readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

describe('VEX', () => {
  it('CycloneDX VEX: a not_affected analysis about a component suppresses that package only', () => {
    const statements = read('cyclonedx-vex-example.vex.json');
    expect(statements[0]).toMatchObject({
      vulnerability: 'CVE-2020-25649',
      status: 'not_affected',
      justification: 'code_not_reachable',
    });
    const subject = {
      vulnerabilityIds: ['GHSA-288c-cq4h-88gq', 'CVE-2020-25649'],
      purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar',
      packageName: 'com.fasterxml.jackson.core:jackson-databind',
      packageVersion: '2.10.0',
      assetName: 'app',
    };
    expect(isSuppressing(findVexStatement(subject, statements))).toBe(true);
    expect(
      findVexStatement(
        { ...subject, purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.12.0' },
        statements,
      ),
    ).toBeUndefined();
  });

  it('CISA use case 1: the product itself is declared not affected, with its justification', () => {
    const [statement] = read('Case-1-vex-not_affected.json');
    expect(statement).toMatchObject({
      vulnerability: 'CVE-2021-44228',
      status: 'not_affected',
      justification: 'code_not_present',
      products: [{ name: 'ABC', version: '4.2' }],
    });
    const subject = {
      vulnerabilityIds: ['CVE-2021-44228'],
      packageName: 'log4j-core',
      packageVersion: '2.14.1',
      assetName: 'ABC',
      assetVersion: '4.2',
    };
    expect(isSuppressing(findVexStatement(subject, [statement!]))).toBe(true);
    expect(findVexStatement({ ...subject, assetVersion: '4.3' }, [statement!])).toBeUndefined();
  });

  it('CISA use case 6: per-version statuses, affected versions stay visible', () => {
    const statements = read('Case-6-vex.json');
    const affected = statements.filter((s) => s.status === 'affected').map((s) => s.products[0]?.version);
    expect(affected).toEqual(expect.arrayContaining(['2.4', '2.6']));
    const subject = {
      vulnerabilityIds: ['CVE-2021-44228'],
      packageName: 'log4j-core',
      packageVersion: '2.14.1',
      assetName: 'ABC',
      assetVersion: '2.4',
    };
    expect(isSuppressing(findVexStatement(subject, statements))).toBe(false);
  });

  it('OpenVEX with subcomponents and CSAF VEX product trees', () => {
    const open = read('openvex-example.json');
    const subject = {
      vulnerabilityIds: ['CVE-2023-44487'],
      purl: 'pkg:golang/golang.org/x/net@v0.7.0',
      packageName: 'golang.org/x/net',
      packageVersion: 'v0.7.0',
      assetName: 'pkg:oci/shop-api@sha256%3A1a2b3c',
    };
    expect(findVexStatement(subject, open)).toMatchObject({
      status: 'not_affected',
      detail: 'The service does not expose HTTP/2.',
    });
    expect(
      findVexStatement(
        { ...subject, purl: 'pkg:golang/golang.org/x/text@v0.3.0', packageName: 'golang.org/x/text' },
        open,
      ),
    ).toBeUndefined();
    const csaf = read('csaf-vex-example.json');
    expect(csaf).toEqual([
      expect.objectContaining({
        vulnerability: 'CVE-2021-44228',
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        detail: 'JNDI lookups are disabled by configuration.',
      }),
    ]);
    expect(
      isSuppressing(
        findVexStatement(
          {
            vulnerabilityIds: ['CVE-2021-44228'],
            purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
            packageName: 'log4j-core',
            packageVersion: '2.14.1',
            assetName: 'billing',
          },
          csaf,
        ),
      ),
    ).toBe(true);
  });

  it('rejects what is not VEX, naming the file and the field', () => {
    expect(() =>
      parseVexDocument(
        'x.json',
        '{"bomFormat":"CycloneDX","vulnerabilities":[{"id":"CVE-1","analysis":{"state":"maybe"}}]}',
      ),
    ).toThrow(/x\.json: vulnerabilities\[0\]\.analysis\.state: unknown state "maybe"/);
    expect(() => parseVexDocument('y.json', '{"hello":1}')).toThrow(/y\.json: document: not a VEX document/);
    expect(() => parseVexDocument('z.json', '{"statements": [')).toThrow(/z\.json: document: not valid JSON/);
  });
});
