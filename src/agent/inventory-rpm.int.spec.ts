import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTinyRpmRepo, missingRpmTools, type TinyRpmRepo } from '../rollout/__tests__/tiny-rpm.js';
import { getDatabaseStamp, loadHostReport } from './inventory.js';

// The agent's rpm path against a real rpm database: tiny rpms installed by a real dnf into a temp
// --installroot (nothing on this machine changes), then read back the way the agent reads a --root.

// dnf refuses to install as another user than root, even into a root of its own.
const missing = [...missingRpmTools(), ...(process.getuid?.() === 0 ? [] : ['root'])];

describe.skipIf(missing.length > 0)(
  `agent inventory of an rpm root${missing.length > 0 ? ` (skipped: ${missing.join(', ')} missing; as root: apt-get install dnf rpm createrepo-c)` : ''}`,
  () => {
    let repo: TinyRpmRepo;
    const dnf = (...args: string[]) =>
      execFileSync('dnf', [...repo.dnfOptions, '-y', ...args], { env: repo.env, stdio: 'pipe' });

    beforeAll(() => {
      repo = makeTinyRpmRepo([
        { name: 'pcdemo', version: '1.0-1' },
        { name: 'pcdemo', version: '1.0-2' },
        { name: 'pcdemo-lib', version: '2.0-1', tags: ['Epoch: 3'] },
      ]);
      mkdirSync(join(repo.root, 'etc'), { recursive: true });
      writeFileSync(join(repo.root, 'etc/os-release'), 'ID=fedora\nVERSION_ID=40\n');
      writeFileSync(join(repo.root, 'etc/hostname'), 'rpm-root\n');
    }, 120_000);
    afterAll(() => repo?.remove());

    it('lists what dnf installed, from var/lib/rpm and from usr/lib/sysimage/rpm', async () => {
      dnf('install', 'pcdemo-1.0-1', 'pcdemo-lib');
      const now = new Date('2026-12-08T01:00:00Z');
      const report = await loadHostReport(repo.root, now);
      expect(report?.os).toEqual({ id: 'fedora', version_id: '40' });
      expect(report?.host.hostname).toBe('rpm-root');
      const versions = (r: typeof report) =>
        new Map(r?.packages.map((p) => [p.name, `${p.version} ${p.arch} ${p.source}`]));
      expect(versions(report)).toEqual(
        new Map([
          ['pcdemo', '1.0-1 noarch pcdemo'],
          ['pcdemo-lib', '3:2.0-1 noarch pcdemo-lib'],
        ]),
      );
      // Fedora 36 and later keep the database here (with /var/lib/rpm a symlink to it).
      mkdirSync(join(repo.root, 'usr/lib/sysimage'), { recursive: true });
      renameSync(join(repo.root, 'var/lib/rpm'), join(repo.root, 'usr/lib/sysimage/rpm'));
      expect(versions(await loadHostReport(repo.root, now))).toEqual(versions(report));
      renameSync(join(repo.root, 'usr/lib/sysimage/rpm'), join(repo.root, 'var/lib/rpm'));
    });

    it('sees an upgrade in the database stamp and in the next report', async () => {
      const before = await getDatabaseStamp(repo.root);
      expect(before).toMatch(/^rpm:/);
      dnf('install', 'pcdemo-1.0-2');
      expect(await getDatabaseStamp(repo.root)).not.toBe(before);
      const report = await loadHostReport(repo.root, new Date('2026-12-08T01:00:00Z'));
      expect(report?.packages.find((p) => p.name === 'pcdemo')?.version).toBe('1.0-2');
    });
  },
);
