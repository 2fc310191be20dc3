import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeServiceDeps } from '../../test/support/service-deps.js';
import { makeTempStore } from '../../test/support/store.js';
import { importInventory } from '../services/inventory/import-inventory.js';
import { loadStoredAssetDrift } from '../services/inventory/load-asset-drift.js';
import { type Store, saveAssetSnapshot } from '../store/index.js';
import { collectInventory } from './collect.js';
import { computeDrift } from './drift.js';

const pkg = (name: string, version: string) => ({ ecosystem: 'Debian:12', name, version });

describe('drift', () => {
  it('lists added, removed and changed packages and changed config files', () => {
    const drift = computeDrift(
      [pkg('openssl', '3.0.11-1~deb12u2'), pkg('curl', '7.88.1-10+deb12u5'), pkg('telnet', '0.17+2.4-2')],
      [pkg('openssl', '3.0.15-1~deb12u1'), pkg('curl', '7.88.1-10+deb12u5'), pkg('nmap', '7.93+dfsg1-1')],
      { '/etc/ssh/sshd_config': 'aa', '/etc/sudoers': 'bb' },
      { '/etc/ssh/sshd_config': 'cc', '/etc/sudoers': 'bb' },
    );
    expect(drift.changed).toEqual([
      { ecosystem: 'Debian:12', name: 'openssl', from: '3.0.11-1~deb12u2', to: '3.0.15-1~deb12u1' },
    ]);
    expect(drift.added.map((p) => p.name)).toEqual(['nmap']);
    expect(drift.removed.map((p) => p.name)).toEqual(['telnet']);
    expect(drift.configChanged).toEqual([{ path: '/etc/ssh/sshd_config', from: 'aa', to: 'cc' }]);
    expect(computeDrift([pkg('a', '1')], [pkg('a', '1')])).toEqual({
      added: [],
      removed: [],
      changed: [],
      configChanged: [],
    });
  });

  it('keeps the previous inventory when an agent reports a changed host, and compares with the baseline', async () => {
    const { store, cleanup } = await makeTempStore();
    const dir = mkdtempSync(join(tmpdir(), 'patchcast-drift-'));
    const report = (openssl: string, sshd: string) => ({
      schema: 'patchcast.agent-report/1',
      host: { hostname: 'web-01' },
      os: { id: 'debian', version_id: '12' },
      collectedAt: '2026-01-01T00:00:00Z',
      packages: [
        { name: 'openssl', version: openssl },
        { name: 'bash', version: '5.2.15-2+b2' },
      ],
      configHashes: { '/etc/ssh/sshd_config': sshd },
    });
    const file = join(dir, 'web-01.json');
    try {
      writeFileSync(file, JSON.stringify(report('3.0.11-1~deb12u2', 'a'.repeat(64))));
      await importAt(store, file, '2026-01-01T00:00:00Z');
      const baseline = await loadStoredAssetDrift(store.db, 'web-01', 'baseline');
      expect(baseline.since).toBeNull();
      const { loadAssetPackages, loadAssetConfigHashes } = await import('../store/index.js');
      await saveAssetSnapshot(store.db, {
        assetId: 'web-01',
        kind: 'baseline',
        takenAt: '2026-01-01T00:00:00.000Z',
        packages: await loadAssetPackages(store.db, 'web-01'),
        configHashes: (await loadAssetConfigHashes(store.db, 'web-01')) ?? {},
      });

      writeFileSync(file, JSON.stringify(report('3.0.15-1~deb12u1', 'b'.repeat(64))));
      await importAt(store, file, '2026-01-08T00:00:00Z');
      for (const against of ['baseline', 'previous'] as const) {
        const drift = await loadStoredAssetDrift(store.db, 'web-01', against);
        expect(drift.changed).toEqual([
          { ecosystem: 'Debian:12', name: 'openssl', from: '3.0.11-1~deb12u2', to: '3.0.15-1~deb12u1' },
        ]);
        expect(drift.configChanged.map((c) => c.path)).toEqual(['/etc/ssh/sshd_config']);
      }
      expect((await loadStoredAssetDrift(store.db, 'web-01', 'previous')).since).toBe(
        '2026-01-01T00:00:00.000Z',
      );
    } finally {
      await cleanup();
    }
  });

  it('an inventory imported again unchanged keeps no "previous"', async () => {
    const { store, cleanup } = await makeTempStore();
    const dir = mkdtempSync(join(tmpdir(), 'patchcast-drift-'));
    const file = join(dir, 'h.json');
    writeFileSync(
      file,
      JSON.stringify({
        schema: 'patchcast.agent-report/1',
        host: { hostname: 'h' },
        os: { id: 'debian', version_id: '12' },
        collectedAt: '2026-01-01T00:00:00Z',
        packages: [{ name: 'bash', version: '5.2.15-2+b2' }],
      }),
    );
    try {
      await importAt(store, file, '2026-01-01T00:00:00Z');
      await importAt(store, file, '2026-01-02T00:00:00Z');
      expect((await loadStoredAssetDrift(store.db, 'h', 'previous')).since).toBeNull();
    } finally {
      await cleanup();
    }
  });
});

/** `inventory import FILE --no-match` as of `at`, through the service. */
async function importAt(store: Store, file: string, at: string): Promise<void> {
  const collected = await collectInventory([file]);
  await importInventory(
    { ...makeServiceDeps(store, 'operator'), clock: { now: () => new Date(at) } },
    { collected, match: false },
  );
}
