/**
 * Every real sample in ../shared/testdata/sboms (cyclonedx, spdx, osv-scanner) and the Trivy SBOM
 * cases must be detected and parsed by some registered format. Skips (fails in CI) when ../shared is absent.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithShared, hasSharedData, SHARED_DIR } from '../../test/support/shared-data.js';
import { getDetectHead } from './contract.js';
import { detectInventoryFormat } from './detect.js';

const shared = join(SHARED_DIR, 'testdata/');
const present = hasSharedData('testdata/sboms');

/** Not inventories: osv-scanner's expected-output snapshot. */
const NOT_INVENTORIES = new Set(['command_test.snap']);

function listSamples(): string[] {
  if (!present) return [];
  const files = ['sboms/cyclonedx', 'sboms/spdx', 'sboms/osv-scanner'].flatMap((dir) =>
    readdirSync(`${shared}${dir}`)
      .filter((name) => !NOT_INVENTORIES.has(name))
      .map((name) => `${dir}/${name}`),
  );
  return [
    ...files,
    'e2e/trivy/centos7-cyclonedx/input/centos-7-cyclonedx.json',
    'e2e/trivy/fluentd-cyclonedx/input/fluentd-multiple-lockfiles-cyclonedx.json',
  ];
}

const SAMPLES = listSamples();

describeWithShared(present, 'testdata/sboms', 'shared inventory samples (../shared/testdata)', () => {
  it.each(SAMPLES)('%s is detected and parses', (sample) => {
    const path = `${shared}${sample}`;
    const content = readFileSync(path);
    const format = detectInventoryFormat(path, getDetectHead(content));
    const result = format.parse({ path, content });
    expect(result.format).toBe(format.id);
    for (const pkg of result.packages) expect(pkg.name && pkg.version && pkg.ecosystem).toBeTruthy();
  });

  it('reads the full postgres-stretch SBOM: 132 Debian 9 packages and 3 Go modules', () => {
    const path = `${shared}sboms/osv-scanner/postgres-stretch.cdx.xml`;
    const content = readFileSync(path);
    const result = detectInventoryFormat(path, getDetectHead(content)).parse({ path, content });
    expect(result.packages.filter((p) => p.ecosystem === 'Debian:9')).toHaveLength(132);
    expect(result.packages.filter((p) => p.ecosystem === 'Go')).toHaveLength(3);
    expect(result.packages.find((p) => p.name === 'openssl')?.version).toBe('1.1.0l-1~deb9u5');
  });

  it('reads the CycloneDX examples with their package counts', () => {
    const counts: Record<string, [string, number]> = {
      'laravel-7.12.0.bom.1.4.json': ['Packagist', 62],
      'laravel-7.12.0.bom.1.4.xml': ['Packagist', 62],
      'dropwizard-1.3.15.bom.json': ['Maven', 167],
      'proton-bridge-v1.8.0.bom.json': ['Go', 201],
    };
    for (const [name, [ecosystem, count]] of Object.entries(counts)) {
      const path = `${shared}sboms/cyclonedx/${name}`;
      const content = readFileSync(path);
      const result = detectInventoryFormat(path, getDetectHead(content)).parse({ path, content });
      expect(
        result.packages.filter((p) => p.ecosystem === ecosystem),
        name,
      ).toHaveLength(count);
    }
  });
});
