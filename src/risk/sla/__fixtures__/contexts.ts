import type { Asset, Finding, RiskException } from '../../../core/types.js';
import type { FindingContext, VulnerabilityContext } from '../../types.js';
import type { SlaRule } from '../types.js';

/**
 * Findings as patchcast stores them for the demo fleet: exim4 on orders-db-01 hit by CVE-2018-6789
 * (in CISA KEV since 2021-11-03, due 2022-05-03), on an internal PCI database.
 */
export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'f-exim4',
    assetId: 'orders-db-01',
    vulnerabilityId: 'DEBIAN-CVE-2018-6789',
    ecosystem: 'Debian:9',
    packageName: 'exim4',
    installedVersion: '4.89-2+deb9u2',
    fixedVersions: ['4.89-2+deb9u3'],
    targetVersion: '4.89-2+deb9u3',
    status: 'open',
    firstSeen: '2026-01-10T08:00:00.000Z',
    lastSeen: '2026-01-10T08:00:00.000Z',
    ...overrides,
  };
}

export function makeAsset(overrides: Partial<Asset> = {}): Asset {
  return {
    id: 'orders-db-01',
    name: 'orders-db-01',
    kind: 'host',
    environment: 'production',
    criticality: 'critical',
    internetExposed: false,
    services: ['postgres'],
    tags: ['pci', 'postgres'],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function makeContext(
  parts: { finding?: Partial<Finding>; asset?: Partial<Asset>; vulnerability?: Partial<VulnerabilityContext> } = {},
): FindingContext {
  return {
    finding: makeFinding(parts.finding),
    asset: makeAsset(parts.asset),
    vulnerability: { cve: 'CVE-2018-6789', exploitMaturity: 'none', exploitSignals: [], ...parts.vulnerability },
  };
}

/** The KEV listing of CVE-2018-6789 as CISA publishes it. */
export const EXIM_KEV = { dateAdded: '2021-11-03', dueDate: '2022-05-03', ransomware: true };

export function makeException(overrides: Partial<RiskException> = {}): RiskException {
  return {
    id: 'EXC-1',
    scope: 'vulnerability',
    vulnerabilityId: 'CVE-2018-6789',
    owner: 'alice',
    reason: 'mail relay isolated',
    approver: 'bob',
    createdAt: '2026-01-15T00:00:00.000Z',
    expiresAt: '2026-01-24T23:59:59.999Z',
    ...overrides,
  };
}

export const rule = (r: Partial<SlaRule> & Pick<SlaRule, 'id' | 'due'>): SlaRule => ({ when: {}, ...r });
