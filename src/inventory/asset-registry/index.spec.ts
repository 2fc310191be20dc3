import { describe, expect, it } from 'vitest';
import { describeInventoryFormat, loadFixture } from '../contract.js';
import { InventoryParseError } from '../errors.js';
import { assetRegistryFormat } from './index.js';

const dir = new URL('./__fixtures__/', import.meta.url);

// YAML cut after a complete entry is a shorter valid registry; the CSV fixture (first) is cut mid-row.
describeInventoryFormat(assetRegistryFormat, {
  dir,
  fixtures: [{ file: 'assets.csv' }, { file: 'assets.yaml' }],
  packages: 'none',
  hostile: [
    {
      name: 'YAML alias bomb',
      content:
        'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
    },
    {
      name: 'YAML sequences nested 10,000 deep',
      content: `${'- '.repeat(1)}${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
    },
  ],
});

const parse = (name: string, text: string) =>
  assetRegistryFormat.parse({ path: name, content: Buffer.from(text) });

describe('asset-registry', () => {
  it('reads the CSV registry: 6 assets of all four kinds, lists split on ; and ,', () => {
    const { assets = [] } = assetRegistryFormat.parse(loadFixture(dir, 'assets.csv'));
    expect(assets.map((a) => a.kind)).toEqual([
      'host',
      'host',
      'host',
      'container-image',
      'k8s-workload',
      'cloud-resource',
    ]);
    expect(assets[0]).toEqual({
      id: 'web-01.example.internal',
      kind: 'host',
      environment: 'production',
      criticality: 'high',
      internetExposed: true,
      dataClassification: 'confidential',
      owner: 'team-web',
      services: ['checkout', 'storefront'],
      tags: ['pci', 'linux'],
      windowGroup: 'sun-0200',
      location: 'line 2',
    });
    expect(assets[3]).toMatchObject({ internetExposed: false, tags: ['docker', 'alpine'] });
    expect(assets[3]?.windowGroup).toBeUndefined();
  });

  it('reads the YAML registry: hostname as id, yes/no exposure, lists', () => {
    const { assets = [] } = assetRegistryFormat.parse(loadFixture(dir, 'assets.yaml'));
    expect(assets.map((a) => [a.id, a.internetExposed, a.services])).toEqual([
      ['web-01.example.internal', true, ['checkout', 'storefront']],
      ['build-07.example.internal', false, []],
      ['payments/checkout-worker', false, ['checkout']],
    ]);
    expect(assets[1]?.location).toBe('line 13');
  });

  it('names file, line and column of a bad CSV value', () => {
    const csv = 'id,kind,criticality\na,host,high\nb,host,urgent\n';
    expect(() => parse('assets.csv', csv)).toThrow(
      'assets.csv:line 3, column 3: criticality: expected low, medium, high or critical',
    );
  });

  it('names file, line and column of a bad YAML value', () => {
    const yaml = '- id: a\n  kind: host\n- id: b\n  kind: mainframe\n';
    expect(() => parse('assets.yaml', yaml)).toThrow(/assets.yaml:line 4, column 9: kind: expected host/);
  });

  it('names the line of a key repeated within one asset, and reads the same key in two assets', () => {
    const yaml = '- id: a\n  kind: host\n- id: b\n  kind: host\n  kind: container\n';
    expect(() => parse('assets.yaml', yaml)).toThrow(
      /assets.yaml:line 5, column 3: invalid YAML: Map keys must be unique/,
    );
    expect(parse('assets.yaml', '- id: a\n  kind: host\n- id: b\n  kind: host\n').assets).toHaveLength(2);
  });

  it('refuses a repeated id, since rows are upserted by id', () => {
    expect(() => parse('a.csv', 'id,kind\nx,host\nx,host\n')).toThrow(
      /a.csv:line 3: asset x is listed twice \(first at line 2\)/,
    );
  });

  it('does not claim a pnpm lockfile or a CSV without an id column', () => {
    expect(assetRegistryFormat.detect('pnpm-lock.yaml', "lockfileVersion: '9.0'\n")).toBe(false);
    expect(assetRegistryFormat.detect('epss.csv', 'cve,epss,percentile\n')).toBe(false);
    expect(() => parse('x.csv', 'name,kind\na,host\n')).toThrow(InventoryParseError);
  });
});
