import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatchcastError } from '../core/errors.js';
import type { Store } from './connect.js';
import {
  appendAuditEvent,
  cancelPendingJobs,
  countVulnerabilities,
  enqueueJobs,
  ensureMatchStates,
  finishJob,
  getAssetPackageKey,
  getFindingId,
  heartbeatJob,
  insertEpssScores,
  insertException,
  insertExploitSightings,
  insertPlan,
  leaseJobs,
  listAssetImports,
  listAssets,
  listExceptions,
  listFindings,
  listJobs,
  listLeasableAssets,
  listPlans,
  loadActiveModel,
  loadAdvisoryEcosystems,
  loadAffectedByPackage,
  loadAssetPackages,
  loadEpssAsOf,
  loadExploitSightings,
  loadFeedState,
  loadFindingKeys,
  loadJob,
  loadKevEntry,
  loadMigrationStatus,
  loadNewestDataDay,
  loadPackageUsage,
  loadPlan,
  loadSsvcAsOf,
  loadVulnerability,
  migrateToLatest,
  releaseWaveJobs,
  removeAssetRows,
  replaceAssetPackages,
  resolveFindingsNotIn,
  retireAssetRows,
  revokeException,
  saveFeedState,
  saveModelArtifact,
  setJobStep,
  upsertAsset,
  upsertFindings,
  upsertKevEntries,
  upsertSsvcDecisions,
  upsertVulnerabilities,
  verifyAuditChain,
} from './index.js';

const T0 = '2026-01-10T00:00:00.000Z';

/**
 * The store contract: every backend must pass it unchanged. `open` returns a freshly migrated,
 * empty store; `cleanup` removes it.
 */
export function describeStoreContract(
  name: string,
  open: () => Promise<{ store: Store; cleanup(): Promise<void> }>,
) {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, cleanup } = await open());
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('migrates to the latest schema, and migrating again changes nothing', async () => {
      const status = await loadMigrationStatus(store);
      expect(status.length).toBeGreaterThan(0);
      expect(status.every((s) => s.appliedAt !== null && !s.unknown)).toBe(true);
      expect(await migrateToLatest(store)).toEqual([]);
    });

    it('stores vulnerabilities with aliases and affected packages, found by id or alias', async () => {
      await upsertVulnerabilities(store.db, [
        {
          id: 'GHSA-aaaa-bbbb-cccc',
          source: 'osv',
          aliases: ['CVE-2024-0001'],
          summary: 'first',
          cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 }],
          affected: [
            {
              ecosystem: 'npm',
              name: 'left-pad',
              ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }],
              fixedVersions: ['1.3.0'],
            },
          ],
        },
      ]);
      const byAlias = await loadVulnerability(store.db, 'CVE-2024-0001');
      expect(byAlias?.id).toBe('GHSA-aaaa-bbbb-cccc');
      expect(byAlias?.cvss?.[0]?.score).toBe(9.8);
      expect(byAlias?.affected?.[0]?.fixedVersions).toEqual(['1.3.0']);
      // A newer copy replaces the affected entries instead of adding to them.
      await upsertVulnerabilities(store.db, [
        {
          id: 'GHSA-aaaa-bbbb-cccc',
          source: 'osv',
          aliases: ['CVE-2024-0001'],
          summary: 'second',
          affected: [{ ecosystem: 'npm', name: 'left-pad', fixedVersions: ['1.4.0'] }],
        },
      ]);
      const affected = await loadAffectedByPackage(store.db, 'npm', 'left-pad');
      expect(affected).toHaveLength(1);
      expect(affected[0]?.fixedVersions).toEqual(['1.4.0']);
      expect((await loadVulnerability(store.db, 'GHSA-aaaa-bbbb-cccc'))?.summary).toBe('second');
    });

    it('lists the ecosystems the advisories name, each once, with their release', async () => {
      await upsertVulnerabilities(store.db, [
        {
          id: 'DEBIAN-CVE-2024-0002',
          source: 'osv',
          aliases: [],
          affected: [
            { ecosystem: 'Debian:12', name: 'openssl' },
            { ecosystem: 'Debian:12', name: 'libssl3' },
          ],
        },
      ]);
      const ecosystems = await loadAdvisoryEcosystems(store.db);
      expect(ecosystems).toContain('Debian:12');
      expect(ecosystems).toContain('npm');
      expect(new Set(ecosystems).size).toBe(ecosystems.length);
    });

    it('retires an asset (packages dropped, tagged retired, kept) and removes one (gone)', async () => {
      for (const id of ['retire-me', 'remove-me']) {
        await upsertAsset(
          store.db,
          { id, name: id, kind: 'host', internetExposed: false, services: [], tags: [] },
          T0,
        );
        await replaceAssetPackages(
          store.db,
          { assetId: id, source: 'test', format: 'requirements-txt', importedAt: T0 },
          [{ ecosystem: 'PyPI', name: 'django', version: '1.4.1' }],
        );
      }
      const retired = await store.db.transaction().execute((db) => retireAssetRows(db, 'retire-me', T0));
      expect(retired).toEqual({ findingsRetired: 0, packagesRemoved: 1 });
      expect(await loadAssetPackages(store.db, 'retire-me')).toEqual([]);
      const removed = await store.db.transaction().execute((db) => removeAssetRows(db, 'remove-me'));
      expect(removed).toMatchObject({ assets: 1, asset_packages: 1, asset_imports: 1 });
      const assets = await listAssets(store.db);
      expect(assets.find((a) => a.id === 'retire-me')?.tags).toEqual(['retired']);
      expect(assets.some((a) => a.id === 'remove-me')).toBe(false);
      // Leave the store as the later tests expect it.
      await store.db.transaction().execute((db) => removeAssetRows(db, 'retire-me'));
    });

    it('a batch that fails inside a transaction leaves the store as it was', async () => {
      const before = await countVulnerabilities(store.db);
      await expect(
        store.db.transaction().execute(async (trx) => {
          await upsertVulnerabilities(trx, [{ id: 'CVE-2099-0001', source: 'cve', aliases: [] }]);
          throw new Error('feed truncated');
        }),
      ).rejects.toThrow('feed truncated');
      expect(await countVulnerabilities(store.db)).toBe(before);
      expect(await loadVulnerability(store.db, 'CVE-2099-0001')).toBeUndefined();
    });

    it('answers KEV, EPSS, exploit and SSVC signals as of a date, keeping EPSS history', async () => {
      await upsertKevEntries(store.db, [
        { cveId: 'CVE-2024-0001', dateAdded: '2025-03-01', dueDate: '2025-03-22', ransomware: true },
      ]);
      expect(await loadKevEntry(store.db, 'CVE-2024-0001', '2025-02-28')).toBeUndefined();
      expect((await loadKevEntry(store.db, 'CVE-2024-0001', '2025-03-01'))?.ransomware).toBe(true);

      await insertEpssScores(store.db, [
        {
          cveId: 'CVE-2024-0001',
          scoreDate: '2025-01-01',
          score: 0.1,
          percentile: 0.5,
          modelVersion: 'v2023.03.01',
        },
      ]);
      await insertEpssScores(store.db, [
        { cveId: 'CVE-2024-0001', scoreDate: '2025-02-01', score: 0.7, percentile: 0.99 },
      ]);
      expect((await loadEpssAsOf(store.db, 'CVE-2024-0001', '2025-01-15'))?.score).toBe(0.1);
      expect((await loadEpssAsOf(store.db, 'CVE-2024-0001', '2025-06-01'))?.score).toBe(0.7);
      expect(await loadEpssAsOf(store.db, 'CVE-2024-0001', '2024-12-31')).toBeUndefined();

      const sighting = {
        cveId: 'CVE-2024-0001',
        source: 'exploitdb',
        url: 'https://www.exploit-db.com/exploits/1',
        seenAt: '2025-02-10',
      };
      await insertExploitSightings(store.db, [sighting, { ...sighting, seenAt: '2025-05-01' }]);
      await insertExploitSightings(store.db, [
        {
          ...sighting,
          source: 'metasploit',
          url: 'exploit/linux/x',
          seenAt: '2025-04-01',
          maturity: 'weaponized',
        },
      ]);
      expect(await loadExploitSightings(store.db, 'CVE-2024-0001')).toHaveLength(2);
      expect(
        (await loadExploitSightings(store.db, 'CVE-2024-0001', '2025-03-01')).map((s) => s.source),
      ).toEqual(['exploitdb']);

      await upsertSsvcDecisions(store.db, [
        {
          cveId: 'CVE-2024-0001',
          decidedAt: '2025-01-05',
          exploitation: 'none',
          automatable: 'yes',
          technicalImpact: 'total',
          source: 'vulnrichment',
        },
        {
          cveId: 'CVE-2024-0001',
          decidedAt: '2025-03-02',
          exploitation: 'active',
          automatable: 'yes',
          technicalImpact: 'total',
          source: 'vulnrichment',
        },
      ]);
      expect((await loadSsvcAsOf(store.db, 'CVE-2024-0001', '2025-02-01'))?.exploitation).toBe('none');
    });

    it('upserts assets without duplicates and keeps the dated import history', async () => {
      const asset = {
        id: 'web-1',
        name: 'web-1',
        kind: 'host' as const,
        internetExposed: true,
        services: ['shop'],
        tags: [],
      };
      await upsertAsset(store.db, asset, T0);
      await upsertAsset(store.db, { ...asset, criticality: 'high' }, '2026-01-11T00:00:00.000Z');
      const assets = await listAssets(store.db);
      expect(assets).toHaveLength(1);
      expect(assets[0]).toMatchObject({
        criticality: 'high',
        createdAt: T0,
        internetExposed: true,
        services: ['shop'],
      });

      const pkgs = [
        { ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1~deb12u2', sourceName: 'openssl' },
        { ecosystem: 'Debian:12', name: 'libssl3', version: '3.0.11-1~deb12u2', sourceName: 'openssl' },
      ];
      await replaceAssetPackages(
        store.db,
        { assetId: 'web-1', source: 'status', format: 'dpkg', importedAt: T0 },
        pkgs,
      );
      await replaceAssetPackages(
        store.db,
        { assetId: 'web-1', source: 'status', format: 'dpkg', importedAt: '2026-01-12T00:00:00.000Z' },
        pkgs.slice(0, 1),
      );
      expect((await loadAssetPackages(store.db, 'web-1')).map((p) => p.name)).toEqual(['openssl']);
      expect((await listAssetImports(store.db, 'web-1')).map((i) => Number(i.package_count))).toEqual([1, 2]);
    });

    it('keeps whether each package is in use (true, false, unknown) and answers it for findings in bulk', async () => {
      const host = {
        id: 'usage-1',
        name: 'usage-1',
        kind: 'host' as const,
        internetExposed: false,
        services: [],
        tags: [],
      };
      await upsertAsset(store.db, host, T0);
      const meta = { assetId: 'usage-1', source: 'agent', format: 'agent-report', importedAt: T0 };
      await replaceAssetPackages(store.db, meta, [
        { ecosystem: 'Debian:12', name: 'openssh-server', version: '1:9.2p1-2', inUse: true },
        { ecosystem: 'Debian:12', name: 'libxslt1.1', version: '1.1.35-1', inUse: false },
        { ecosystem: 'Debian:12', name: 'tzdata', version: '2024a-0' },
      ]);
      expect(
        (await loadAssetPackages(store.db, 'usage-1')).map((p) => [
          p.name,
          'inUse' in p ? p.inUse : 'unknown',
        ]),
      ).toEqual([
        ['libxslt1.1', false],
        ['openssh-server', true],
        ['tzdata', 'unknown'],
      ]);
      const key = (name: string, version: string) => ({
        assetId: 'usage-1',
        ecosystem: 'Debian:12',
        name,
        version,
      });
      const usage = await loadPackageUsage(store.db, [
        key('openssh-server', '1:9.2p1-2'),
        key('libxslt1.1', '1.1.35-1'),
        key('tzdata', '2024a-0'),
        key('openssh-server', '1:9.0-1'),
      ]);
      expect(usage).toEqual(
        new Map([
          [getAssetPackageKey(key('openssh-server', '1:9.2p1-2')), true],
          [getAssetPackageKey(key('libxslt1.1', '1.1.35-1')), false],
        ]),
      );
      expect(await loadPackageUsage(store.db, [])).toEqual(new Map());
    });

    it('keeps first_seen, risk and due date on re-detection, refreshes the installed version, and resolves findings a new scan no longer reports', async () => {
      const base = {
        assetId: 'web-1',
        vulnerabilityId: 'GHSA-aaaa-bbbb-cccc',
        ecosystem: 'Debian:12',
        packageName: 'openssl',
        installedVersion: '3.0.11-1~deb12u2',
        fixedVersions: ['3.0.13-1~deb12u1'],
        status: 'open' as const,
      };
      await upsertFindings(store.db, [
        { ...base, id: 'f1', firstSeen: T0, lastSeen: T0, risk: 0.4 },
        { ...base, id: 'f2', vulnerabilityId: 'CVE-2024-0002', firstSeen: T0, lastSeen: T0, risk: 0.9 },
      ]);
      await upsertFindings(store.db, [
        {
          ...base,
          id: 'f1',
          installedVersion: '3.0.11-1~deb12u3',
          firstSeen: '2026-02-01T00:00:00.000Z',
          lastSeen: '2026-02-01T00:00:00.000Z',
        },
      ]);
      const f1 = (await listFindings(store.db, { vulnerabilityId: 'GHSA-aaaa-bbbb-cccc' }))[0];
      expect(f1).toMatchObject({
        firstSeen: T0,
        lastSeen: '2026-02-01T00:00:00.000Z',
        risk: 0.4,
        installedVersion: '3.0.11-1~deb12u3',
      });
      expect((await listFindings(store.db, { assetId: 'web-1' })).map((f) => f.id)).toEqual(['f2', 'f1']);
      expect(await resolveFindingsNotIn(store.db, 'web-1', ['f1'], '2026-02-02T00:00:00.000Z')).toBe(1);
      expect((await listFindings(store.db, { status: ['open'] })).map((f) => f.id)).toEqual(['f1']);
    });

    it('gives each asset one token, never twice, and lets no derived id reach a finding with an id of its own', async () => {
      const at = '2026-02-03T00:00:00.000Z';
      for (const id of ['tok-1', 'tok-2', 'tok-3'])
        await upsertAsset(
          store.db,
          { id, name: id, kind: 'host', internetExposed: false, services: [], tags: [] },
          at,
        );
      const states = new Map();
      await ensureMatchStates(store.db, states, ['web-1', 'tok-1', 'tok-2']);
      // A caller that knows fewer states is given the stored ones, not new tokens (nor a duplicate key).
      const again = new Map();
      await ensureMatchStates(store.db, again, ['web-1', 'tok-2']);
      expect(again.get('tok-2')?.token).toBe(states.get('tok-2')?.token);
      const highest = Math.max(...[...states.values()].map((s) => s.token));
      await store.db.deleteFrom('assets').where('id', '=', 'tok-2').execute();
      const later = new Map();
      await ensureMatchStates(store.db, later, ['tok-3']);
      expect(later.get('tok-3')?.token).toBeGreaterThan(highest);

      const f1 = await store.db
        .selectFrom('findings')
        .select('subject_id')
        .where('id', '=', 'f1')
        .executeTakeFirst();
      const token = states.get('web-1')?.token as number;
      const derived = getFindingId(token, Number(f1?.subject_id));
      const keys = await loadFindingKeys(store.db, [derived, 'f1']);
      expect([...keys.keys()]).toEqual(['f1']);
      expect(await listFindings(store.db, { ids: [derived] })).toEqual([]);
    });

    it('lists only live exceptions at a date, and revokes once', async () => {
      const e = {
        scope: 'vulnerability' as const,
        vulnerabilityId: 'CVE-2024-0002',
        owner: 'sec',
        reason: 'WAF rule',
        createdAt: T0,
      };
      await insertException(store.db, { ...e, id: 'x1', expiresAt: '2026-02-01T00:00:00.000Z' });
      await insertException(store.db, { ...e, id: 'x2', expiresAt: '2026-06-01T00:00:00.000Z' });
      expect(
        (await listExceptions(store.db, { activeAt: '2026-03-01T00:00:00.000Z' })).map((x) => x.id),
      ).toEqual(['x2']);
      expect(await revokeException(store.db, 'x2', '2026-03-02T00:00:00.000Z')).toBe(true);
      expect(await revokeException(store.db, 'x2', '2026-03-03T00:00:00.000Z')).toBe(false);
      expect(await listExceptions(store.db, { activeAt: '2026-03-05T00:00:00.000Z' })).toEqual([]);
      expect(await listExceptions(store.db)).toHaveLength(2);
    });

    it('stores plans with waves, and leases each job to one worker at a time', async () => {
      await insertPlan(
        store.db,
        { id: 'p1', status: 'approved', createdAt: T0, objective: 10, bound: 9.9, gap: 0.01 },
        [{ id: 'w1', planId: 'p1', ring: 'canary', position: 0, status: 'pending' }],
      );
      expect((await loadPlan(store.db, 'p1'))?.waves.map((w) => w.ring)).toEqual(['canary']);
      await enqueueJobs(
        store.db,
        [1, 2, 3].map((n) => ({ id: `j${n}`, planId: 'p1', waveId: 'w1', assetId: 'web-1' })),
        T0,
      );
      const now = new Date('2026-01-10T01:00:00Z');
      // Nothing is leased before the controller releases it.
      expect(await leaseJobs(store.db, { owner: 'a', limit: 5, leaseSeconds: 60, now })).toEqual([]);
      const at = now.toISOString();
      expect(
        await releaseWaveJobs(store.db, { waveId: 'w1', limit: 3, now: at, executorOf: () => 'ssh' }),
      ).toEqual(['j1', 'j2', 'j3']);
      expect(
        await leaseJobs(store.db, { owner: 'x', limit: 5, leaseSeconds: 60, now, executors: ['agent'] }),
      ).toEqual([]);
      // What a lease would take, read without leasing: by executor, each asset once.
      expect(await listLeasableAssets(store.db, { now, executors: ['ssh'] })).toEqual(['web-1']);
      expect(await listLeasableAssets(store.db, { now, executors: ['agent'] })).toEqual([]);
      const a = await leaseJobs(store.db, { owner: 'a', limit: 2, leaseSeconds: 60, now });
      const b = await leaseJobs(store.db, { owner: 'b', limit: 5, leaseSeconds: 60, now });
      expect(a.map((j) => [j.id, j.leaseToken])).toEqual([
        ['j1', 1],
        ['j2', 1],
      ]);
      expect(b.map((j) => j.id)).toEqual(['j3']);
      expect(await leaseJobs(store.db, { owner: 'c', limit: 5, leaseSeconds: 60, now })).toEqual([]);
      expect(await listLeasableAssets(store.db, { now })).toEqual([]);
      expect(await finishJob(store.db, { id: 'j1', token: 1 }, { status: 'succeeded', at })).toBe(true);
      expect(
        await setJobStep(
          store.db,
          { id: 'j2', token: 1 },
          { step: 'apply', at, previousVersions: [{ name: 'x', version: '1' }] },
        ),
      ).toBe(true);
      // After a's lease on j2 runs out, c takes it over (a new token) and a can no longer report on it.
      const later = new Date(now.getTime() + 120_000);
      expect(await listLeasableAssets(store.db, { now: later, executors: ['ssh'] })).toEqual(['web-1']);
      const c = await leaseJobs(store.db, { owner: 'c', limit: 5, leaseSeconds: 60, now: later });
      expect(c.map((j) => [j.id, j.attempts, j.leaseToken, j.step, j.previousVersions])).toEqual([
        ['j2', 2, 2, 'apply', [{ name: 'x', version: '1' }]],
        ['j3', 2, 2, undefined, undefined],
      ]);
      expect(
        await finishJob(store.db, { id: 'j2', token: 1 }, { status: 'succeeded', at: later.toISOString() }),
      ).toBe(false);
      expect(await heartbeatJob(store.db, { id: 'j2', token: 1 }, later, 60)).toBeUndefined();
      expect(await heartbeatJob(store.db, { id: 'j2', token: 2 }, later, 60)).toBe(
        new Date(later.getTime() + 60_000).toISOString(),
      );
      expect(
        await finishJob(
          store.db,
          { id: 'j2', token: 2 },
          { status: 'rolled-back', at: later.toISOString(), lastError: 'probe failed' },
        ),
      ).toBe(true);
      expect(await loadJob(store.db, 'j2')).toMatchObject({
        status: 'rolled-back',
        lastError: 'probe failed',
      });
    });

    it('lists plans newest first without their data, keeps job windows, and cancels a superseded plan’s pending jobs', async () => {
      const plan = (id: string, createdAt: string) => ({
        id,
        status: 'draft' as const,
        createdAt,
        objective: 12.5,
        bound: 12,
        gap: 0.04,
        method: 'milp',
        solveSeconds: 0.25,
        jobCount: 2,
        unscheduledCount: 1,
        data: {
          assignments: [{ jobId: 'job:web-1', reasons: ['window w (Tue 02:00 UTC); frozen, “quoted”'] }],
        },
      });
      await insertPlan(store.db, plan('pa', '2026-02-01T00:00:00.000Z'), []);
      await insertPlan(store.db, { ...plan('pb', '2026-02-02T00:00:00.000Z'), previousId: 'pa' }, []);
      const listed = await listPlans(store.db);
      expect(listed.slice(0, 2).map((p) => [p.id, p.previousId, p.jobCount, p.method])).toEqual([
        ['pb', 'pa', 2, 'milp'],
        ['pa', undefined, 2, 'milp'],
      ]);
      expect(listed[0]?.data).toBeUndefined();
      expect((await loadPlan(store.db, 'pb'))?.plan).toMatchObject({
        solveSeconds: 0.25,
        data: plan('x', '').data,
      });
      await enqueueJobs(
        store.db,
        ['a', 'b'].map((n) => ({
          id: `pa/${n}`,
          planId: 'pa',
          assetId: n,
          slotId: 'w@2026-02-03T02:00:00.000Z',
          notBefore: '2026-02-03T02:00:00.000Z',
          notAfter: '2026-02-03T05:30:00.000Z',
        })),
        T0,
      );
      await store.db.updateTable('jobs').set({ status: 'leased' }).where('id', '=', 'pa/a').execute();
      expect(await cancelPendingJobs(store.db, 'pa', T0)).toBe(1);
      expect(
        (await listJobs(store.db, { planId: 'pa' })).map((j) => [j.id, j.status, j.notAfter, j.slotId]),
      ).toEqual([
        ['pa/a', 'leased', '2026-02-03T05:30:00.000Z', 'w@2026-02-03T02:00:00.000Z'],
        ['pa/b', 'cancelled', '2026-02-03T05:30:00.000Z', 'w@2026-02-03T02:00:00.000Z'],
      ]);
    });

    it('chains audit events and detects tampering', async () => {
      for (const action of ['plan:approve', 'wave:promote', 'job:rollback']) {
        await store.db.transaction().execute((trx) =>
          appendAuditEvent(trx, {
            at: T0,
            actor: 'alice',
            action,
            subject: 'p1',
            data: { n: action.length },
          }),
        );
      }
      expect(await verifyAuditChain(store.db)).toEqual({ ok: true, count: 3, brokenAt: null });
      await store.db.updateTable('audit_events').set({ actor: 'mallory' }).where('seq', '=', 2).execute();
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, brokenAt: 2 });
    });

    it('keeps one active model artifact per kind, and feed sync state per source', async () => {
      const model = { kind: 'exploit', version: '1', createdAt: T0, artifact: { trees: [] }, active: true };
      await saveModelArtifact(store.db, { ...model, id: 'm1' });
      await saveModelArtifact(store.db, { ...model, id: 'm2', version: '2' });
      expect((await loadActiveModel(store.db, 'exploit'))?.id).toBe('m2');

      await saveFeedState(store.db, {
        source: 'kev',
        records: 10,
        etag: '"abc"',
        outcome: 'ok',
        lastSync: T0,
      });
      await saveFeedState(store.db, {
        source: 'kev',
        records: 12,
        etag: '"def"',
        outcome: 'ok',
        lastSync: T0,
      });
      expect(await loadFeedState(store.db, 'kev')).toMatchObject({ records: 12, etag: '"def"' });
      expect(await loadNewestDataDay(store.db)).toBeNull();
      await saveFeedState(store.db, { source: 'osv', records: 3, newest: '2025-06-30T12:00:00Z' });
      await saveFeedState(store.db, { source: 'epss', records: 3, newest: '2025-07-01' });
      expect(await loadNewestDataDay(store.db)).toBe('2025-07-01');
    });

    it('refuses a database migrated by a newer patchcast', async () => {
      await sql`insert into patchcast_migrations (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(
        store.db,
      );
      const error = await migrateToLatest(store).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PatchcastError);
      expect((error as PatchcastError).code).toBe('STORE_SCHEMA_TOO_NEW');
      await sql`delete from patchcast_migrations where name = '9999-from-the-future'`.execute(store.db);
    });
  });
}
