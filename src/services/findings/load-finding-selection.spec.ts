import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempStore } from '../../../test/support/store.js';
import type { Finding } from '../../core/types.js';
import { makeAsset, makeFinding } from '../../risk/sla/__fixtures__/contexts.js';
import {
  type Db,
  listFindings,
  upsertAsset,
  upsertFindings,
  upsertVulnerabilities,
} from '../../store/index.js';
import {
  compareFindings,
  type FindingQuery,
  loadFindingSelection,
  makeSeverityFilter,
  SORTS,
  type SortKey,
} from './load-finding-selection.js';

const AT = '2026-01-10T08:00:00.000Z';
const VULNS = [
  { id: 'CVE-2026-0001', severity: 'CRITICAL' },
  { id: 'CVE-2026-0002', severity: 'HIGH' },
  { id: 'CVE-2026-0003', severity: 'LOW' },
];
const RISKS = [0.9, 0.5, undefined, 0.5, 0.2];

/**
 * Six hosts (ids out of name order) with findings of varied risk (ties, unscored), status and fix;
 * host-b has one package in two ecosystems (findings the sort finds equal); `legacy` is never scored.
 */
async function seed(db: Db): Promise<void> {
  await upsertVulnerabilities(
    db,
    VULNS.map((v) => ({ ...v, source: 'test', aliases: [] })),
  );
  const findings: Finding[] = [];
  const hosts = ['host-f', 'host-a', 'host-d', 'host-b', 'host-e', 'host-c'];
  for (const [h, assetId] of hosts.entries()) {
    await upsertAsset(db, makeAsset({ id: assetId, name: assetId }), AT);
    for (const [v, vuln] of VULNS.entries())
      for (const pkg of ['openssl', 'zlib', 'legacy']) {
        const risk = pkg === 'legacy' ? undefined : RISKS[(h + v + pkg.length) % RISKS.length];
        findings.push(
          makeFinding({
            id: `f-${assetId}-${v}-${pkg}`,
            assetId,
            vulnerabilityId: vuln.id,
            packageName: pkg,
            status: (h + v) % 4 === 0 ? 'excepted' : 'open',
            ...(risk === undefined ? {} : { risk }),
            ...((h + v) % 3 === 0 ? { targetVersion: undefined, fixedVersions: [] } : {}),
            firstSeen: AT,
            lastSeen: AT,
          }),
        );
      }
  }
  const twin = { assetId: 'host-b', vulnerabilityId: 'CVE-2026-0002', packageName: 'zlib', risk: 0.5 };
  findings.push(makeFinding({ ...twin, id: 'f-twin-alpine', ecosystem: 'Alpine:v3.19', firstSeen: AT }));
  findings.push(makeFinding({ ...twin, id: 'f-twin-debian', ecosystem: 'Debian:12', firstSeen: AT }));
  await upsertFindings(db, findings);
}

/** What `patchcast findings` did before batching: every finding at once, filtered, sorted, sliced. */
async function loadAllAtOnce(db: Db, query: FindingQuery, limit: number, sort?: SortKey) {
  let findings = await listFindings(db, {
    status: query.status,
    ...(query.packageName ? { packageName: query.packageName } : {}),
    ...(query.assetId ? { assetId: query.assetId } : {}),
    ...(query.vulnerabilityId ? { vulnerabilityId: query.vulnerabilityId } : {}),
  });
  if (query.fixable) findings = findings.filter((f) => f.targetVersion !== undefined);
  if (query.severity) findings = await (await makeSeverityFilter(db, query.severity))(findings);
  const key = sort ?? (findings.some((f) => f.risk !== undefined) ? 'risk' : 'asset');
  findings.sort(compareFindings(key));
  return { total: findings.length, sort: key, findings: findings.slice(0, limit) };
}

/** Counts the queries a store answers. */
function countQueries(db: Db): { db: Db; count: () => number } {
  let n = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      n++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: db.withPlugin(plugin), count: () => n };
}

describe('loadFindingSelection', () => {
  let temp: Awaited<ReturnType<typeof makeTempStore>>;
  beforeAll(async () => {
    temp = await makeTempStore();
    await seed(temp.store.db);
  });
  afterAll(() => temp.cleanup());

  const open: FindingQuery = { status: ['open', 'excepted'] };
  const unscored: FindingQuery = { ...open, packageName: 'legacy' };
  const queries: Array<[string, FindingQuery]> = [
    ['every open finding', open],
    ['fixable ones', { ...open, fixable: true }],
    ['critical and high ones', { ...open, severity: 'critical, HIGH' }],
    ['one asset', { ...open, assetId: 'host-b' }],
    ['unscored ones only', unscored],
    ['one vulnerability', { ...open, vulnerabilityId: 'CVE-2026-0003' }],
  ];

  it.each(queries)('one asset a batch lists and counts %s as all at once would', async (_, query) => {
    const db = temp.store.db;
    for (const sort of [undefined, ...SORTS])
      for (const limit of [0, 1, 4, 7, 1000]) {
        const options = { limit, batchAssets: 1, ...(sort ? { sort } : {}) };
        const batched = await loadFindingSelection(db, query, options);
        expect(batched, `${sort} ${limit}`).toEqual(await loadAllAtOnce(db, query, limit, sort));
        expect(batched).toEqual(await loadFindingSelection(db, query, { ...options, batchAssets: 1000 }));
      }
  });

  it('goes through the store a batch of assets at a time, keeping the first of all batches', async () => {
    const small = countQueries(temp.store.db);
    const whole = countQueries(temp.store.db);
    const batched = await loadFindingSelection(small.db, open, { limit: 5, batchAssets: 1 });
    const once = await loadFindingSelection(whole.db, open, { limit: 5, batchAssets: 1000 });
    expect(small.count()).toBeGreaterThanOrEqual(whole.count() + 5);
    expect(batched).toEqual(once);
    expect(batched.sort).toBe('risk');
    expect(batched.total).toBeGreaterThan(30);
    expect(batched.findings.map((f) => f.risk)).toEqual([0.9, 0.9, 0.9, 0.9, 0.9]);
  });

  it('sorts unscored findings by asset by default, and ties in the order the store lists them', async () => {
    const twins = await loadFindingSelection(
      temp.store.db,
      { ...open, assetId: 'host-b', packageName: 'zlib', vulnerabilityId: 'CVE-2026-0002' },
      { limit: 10, batchAssets: 1 },
    );
    expect(twins.findings.map((f) => f.id)).toEqual(['f-host-b-1-zlib', 'f-twin-alpine', 'f-twin-debian']);
    const legacy = await loadFindingSelection(temp.store.db, unscored, { limit: 3, batchAssets: 1 });
    expect(legacy.sort).toBe('asset');
    expect(legacy.findings.map((f) => f.assetId)).toEqual(['host-a', 'host-a', 'host-a']);
  });

  it('names an unknown severity', async () => {
    await expect(
      loadFindingSelection(temp.store.db, { ...open, severity: 'high,urgent' }, { limit: 5 }),
    ).rejects.toThrow('--severity urgent is not one of');
  });
});
