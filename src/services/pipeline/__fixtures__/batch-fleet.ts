import { pypiAdvisory } from '../../../../test/support/advisories.js';
/**
 * A small fleet with every input of the steps after matching, run over days with a given number of
 * assets per batch: what batching must not change.
 */
import { loadConfig } from '../../../config/index.js';
import type { InstalledPackage, Vulnerability } from '../../../core/types.js';
import {
  insertEpssScores,
  insertException,
  insertExploitSightings,
  loadAssetPackages,
  replaceAssetPackages,
  replaceVexStatements,
  type Store,
  saveAssetSnapshot,
  upsertAsset,
  upsertKevEntries,
  upsertVulnerabilities,
} from '../../../store/index.js';
import { updateFindings } from '../update-findings.js';

const config = loadConfig(undefined, {});
const DAY_1 = new Date('2026-02-10T06:00:00Z');
const DAY_2 = new Date('2026-02-11T06:00:00Z');

/** A PyPI advisory about `name` below `fixed`, known by a real CVE of the bundled snapshot. */
function advisory(id: string, cve: string, name: string, fixed: string, cvssScore: number): Vulnerability {
  return pypiAdvisory(id, name, fixed, { aliases: [cve], cvssScore, published: '2025-11-01T00:00:00Z' });
}

const ADVISORIES = [
  advisory('TEST-DJANGO-1', 'CVE-2022-37434', 'django', '1.4.3', 9.8),
  advisory('TEST-DJANGO-2', 'CVE-2017-12424', 'django', '1.5.0', 7.5),
  advisory('TEST-REQUESTS-1', 'CVE-2019-10082', 'requests', '2.20.0', 5.3),
  advisory('TEST-FLASK-1', 'CVE-2016-6366', 'flask', '1.0', 8.1),
  advisory('TEST-JINJA-1', 'CVE-2021-25296', 'jinja2', '2.11.3', 6.1),
];

const PACKAGES: InstalledPackage[] = [
  { ecosystem: 'PyPI', name: 'django', version: '1.4.1' },
  { ecosystem: 'PyPI', name: 'requests', version: '2.19.0' },
  { ecosystem: 'PyPI', name: 'flask', version: '0.12' },
  { ecosystem: 'PyPI', name: 'jinja2', version: '2.10' },
];

const CRITICALITY = ['low', 'medium', 'high', 'critical'] as const;

/**
 * Seven hosts of varied criticality and exposure, every step's inputs: KEV, EPSS and exploit
 * signals, a baseline with drift, a VEX statement, and exceptions (a compensating control, an asset,
 * one that lapsed before day 1).
 */
export async function seedBatchFleet(store: Store): Promise<void> {
  const db = store.db;
  const at = '2026-02-01T00:00:00.000Z';
  await upsertVulnerabilities(db, ADVISORIES);
  for (let i = 1; i <= 7; i++) {
    const id = `host-${i}`;
    await upsertAsset(
      db,
      {
        id,
        name: id,
        kind: 'host',
        internetExposed: i % 2 === 0,
        criticality: CRITICALITY[i % 4] as (typeof CRITICALITY)[number],
        environment: i === 7 ? 'staging' : 'production',
        services: [],
        tags: [],
      },
      at,
    );
    const meta = { assetId: id, source: 'test', format: 'requirements-txt', importedAt: at };
    await replaceAssetPackages(db, meta, PACKAGES.slice(0, 2 + (i % 3)));
  }
  await saveAssetSnapshot(db, {
    assetId: 'host-1',
    kind: 'baseline',
    takenAt: at,
    packages: (await loadAssetPackages(db, 'host-1')).slice(0, 1),
  });
  await upsertKevEntries(db, [{ cveId: 'CVE-2016-6366', dateAdded: '2026-01-20', dueDate: '2026-02-10', ransomware: true }]);
  await insertEpssScores(db, [
    { cveId: 'CVE-2022-37434', scoreDate: '2026-01-30', score: 0.93, percentile: 0.99 },
    { cveId: 'CVE-2019-10082', scoreDate: '2026-01-30', score: 0.02, percentile: 0.4 },
  ]);
  await insertExploitSightings(db, [
    { cveId: 'CVE-2017-12424', source: 'metasploit', url: 'https://example.test/m', seenAt: '2025-12-01T00:00:00Z' },
  ]);
  await replaceVexStatements(
    db,
    [
      {
        vulnerability: 'CVE-2019-10082',
        products: [{ subcomponents: ['requests'] }],
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        source: 'vex-test',
      },
    ],
    at,
  );
  const exception = { owner: 'ops', reason: 'accepted', approver: 'ciso', createdAt: at };
  await insertException(db, {
    ...exception,
    id: 'EXC-1',
    scope: 'vulnerability',
    vulnerabilityId: 'CVE-2017-12424',
    assetId: 'host-4',
    compensatingControl: 'WAF rule',
    expiresAt: '2026-03-01T00:00:00.000Z',
  });
  await insertException(db, {
    ...exception,
    id: 'EXC-2',
    scope: 'asset',
    assetId: 'host-5',
    expiresAt: '2026-03-01T00:00:00.000Z',
  });
  await insertException(db, {
    ...exception,
    id: 'EXC-3',
    scope: 'package',
    packageName: 'jinja2',
    expiresAt: '2026-02-05T00:00:00.000Z',
  });
}

/**
 * Day 1 whole; host-2 upgrades django, day 2 for host-2 alone (an inventory import), then whole again:
 * what each run returned and what the store holds after.
 */
export async function runBatchScenario(store: Store, batchAssets: number) {
  await seedBatchFleet(store);
  const day1 = await updateFindings(store, { now: DAY_1, config, batchAssets, top: 5 });
  const meta = { assetId: 'host-2', source: 'test', format: 'requirements-txt', importedAt: DAY_2.toISOString() };
  await replaceAssetPackages(store.db, meta, [{ ecosystem: 'PyPI', name: 'django', version: '1.5.0' }]);
  const day2 = await updateFindings(store, { now: DAY_2, config, batchAssets, top: 5, assetIds: ['host-2'] });
  const day3 = await updateFindings(store, { now: DAY_2, config, batchAssets, top: 5 });
  return {
    results: [day1, day2, day3].map(({ matched, top, policy }) => ({
      vex: [matched.suppressedByVex, matched.reopenedByVex],
      top: top.map((s) => [s.context.finding.id, s.score.risk]),
      policy,
    })),
    findings: await store.db
      .selectFrom('findings')
      .select(['asset_id', 'subject_id', 'id', 'status', 'suppression', 'risk', 'due_date'])
      .orderBy('asset_id')
      .orderBy('subject_id')
      .execute(),
    history: await store.db.selectFrom('finding_history').selectAll().orderBy('finding_id').orderBy('day').execute(),
    audit: await store.db.selectFrom('audit_events').select(['action', 'subject']).orderBy('subject').execute(),
  };
}

