import type { Finding } from '../../../core/types.js';
import { type Db, insertException, upsertAsset, upsertFindings, upsertKevEntries, upsertVulnerabilities } from '../../../store/index.js';
import { makeAsset, makeException, makeFinding } from './contexts.js';

export const AT = '2026-01-10T08:00:00.000Z';

/**
 * A store with exim4 hit by CVE-2018-6789 (stored as DEBIAN-CVE-2018-6789, in KEV with `kevDue`) on
 * two assets, openssl with an unlisted CVE, and one exim4 package VEX already marks not affected.
 */
export async function seedStore(db: Db, kevDue = '2022-05-03'): Promise<Record<'exim' | 'eximCache' | 'openssl' | 'vexed', Finding>> {
  await upsertAsset(db, makeAsset(), AT);
  await upsertAsset(db, makeAsset({ id: 'cache-01', name: 'cache-01', criticality: 'medium', tags: ['linux'] }), AT);
  await upsertVulnerabilities(db, [
    { id: 'DEBIAN-CVE-2018-6789', source: 'osv', aliases: ['CVE-2018-6789'] },
    { id: 'DEBIAN-CVE-2023-0464', source: 'osv', aliases: ['CVE-2023-0464'], severity: 'HIGH' },
  ]);
  await upsertKevEntries(db, [{ cveId: 'CVE-2018-6789', dateAdded: '2021-11-03', dueDate: kevDue, ransomware: true }]);
  const findings = {
    exim: makeFinding({ id: 'f-exim', firstSeen: AT, lastSeen: AT }),
    eximCache: makeFinding({ id: 'f-exim-cache', assetId: 'cache-01', firstSeen: AT, lastSeen: AT }),
    openssl: makeFinding({ id: 'f-openssl', packageName: 'libssl1.1', vulnerabilityId: 'DEBIAN-CVE-2023-0464', firstSeen: AT, lastSeen: AT }),
    vexed: makeFinding({
      id: 'f-exim-base',
      packageName: 'exim4-base',
      status: 'suppressed',
      suppression: { kind: 'vex', justification: 'vulnerable_code_not_in_execute_path', ref: 'vex.json' },
      firstSeen: AT,
      lastSeen: AT,
    }),
  };
  await upsertFindings(db, Object.values(findings));
  return findings;
}

export { insertException, makeException };
