import type { Asset, FindingContext, VulnerabilityContext } from '../../types.js';

/** An asset like the demo fleet's, with overrides. */
export function makeAsset(overrides: Partial<Asset> = {}): Asset {
  return {
    id: 'shop-web-01',
    name: 'shop-web-01',
    kind: 'host',
    environment: 'production',
    criticality: 'medium',
    internetExposed: false,
    dataClassification: 'internal',
    services: [],
    tags: [],
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

/** A finding context with overrides of the vulnerability and the asset. */
export function makeContext(
  vulnerability: Partial<VulnerabilityContext> = {},
  asset: Partial<Asset> = {},
  extra: Partial<Pick<FindingContext, 'drift' | 'compensatingControls' | 'inUse'>> = {},
): FindingContext {
  return {
    finding: {
      id: 'f1',
      assetId: asset.id ?? 'shop-web-01',
      vulnerabilityId: 'DEBIAN-CVE-2018-6789',
      ecosystem: 'Debian:9',
      packageName: 'exim4',
      installedVersion: '4.89-2+deb9u2',
      fixedVersions: ['4.89-2+deb9u3'],
      status: 'open',
      firstSeen: '2026-01-01T00:00:00Z',
      lastSeen: '2026-01-01T00:00:00Z',
    },
    asset: makeAsset(asset),
    vulnerability: { cve: 'CVE-2018-6789', exploitMaturity: 'none', exploitSignals: [], ...vulnerability },
    ...extra,
  };
}
