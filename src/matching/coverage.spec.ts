import { describe, expect, it } from 'vitest';
import { getCoverageWarnings, isEcosystemCovered } from './coverage.js';

describe('advisory coverage', () => {
  const covered = ['Alpine:v3.20', 'Debian:11', 'Maven', 'PyPI', 'Ubuntu:22.04:LTS'];

  it('needs the same release of a distribution, any advisory of a language ecosystem', () => {
    expect(isEcosystemCovered('Debian:11', covered)).toBe(true);
    expect(isEcosystemCovered('Debian:12', covered)).toBe(false);
    expect(isEcosystemCovered('Ubuntu:22.04:LTS', covered)).toBe(true);
    expect(isEcosystemCovered('Alpine:v3.19', covered)).toBe(false);
    expect(isEcosystemCovered('PyPI', covered)).toBe(true);
    expect(isEcosystemCovered('npm', covered)).toBe(false);
  });

  it('warns per asset for a Debian 12 image and a Maven SBOM when the store lacks them, as Trivy does', () => {
    const warnings = getCoverageWarnings(
      [
        { assetId: 'debian:bookworm', ecosystem: 'Debian:12', packages: 78 },
        { assetId: 'orders-api', ecosystem: 'Maven', packages: 41 },
        { assetId: 'orders-api', ecosystem: 'npm', packages: 1 },
      ],
      ['Debian:11', 'npm'],
    );
    expect(warnings.map((w) => w.message)).toEqual([
      'debian:bookworm: no advisories for Debian 12 in the store (78 packages): results would be incomplete; sync osv for Debian',
      'orders-api: no advisories for Maven in the store (41 packages): results would be incomplete; sync osv for Maven',
    ]);
    expect(warnings[0]).toMatchObject({ assetId: 'debian:bookworm', ecosystem: 'Debian:12', packages: 78 });
  });

  it('says nothing when every ecosystem is covered', () => {
    expect(getCoverageWarnings([{ assetId: 'web-1', ecosystem: 'PyPI', packages: 3 }], covered)).toEqual([]);
  });
});
