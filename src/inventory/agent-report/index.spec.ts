import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, itWithShared, SHARED_DIR } from '../../../test/support/shared-data.js';
import { describeInventoryFormat, getDetectHead, loadFixture } from '../contract.js';
import { agentReportFormat } from './index.js';

const dir = new URL('./__fixtures__/', import.meta.url);
const fleetDir = join(SHARED_DIR, 'data/fleet/');

describeInventoryFormat(agentReportFormat, {
  dir,
  fixtures: [
    { file: 'web-01.agent-report.json' },
    { file: 'ubuntu_jammy-20220801_2022-08-01.json' },
    { file: 'debian_bookworm-20241202_2024-12-02.json' },
  ],
  hostile: [
    {
      name: 'a report with a non-hex config hash',
      content: JSON.stringify({
        schema: 'patchcast.agent-report/1',
        host: { hostname: 'h' },
        os: { id: 'debian', version_id: '12' },
        collectedAt: '2024-12-02T08:15:00Z',
        packages: [],
        configHashes: { '/etc/x': 'not-a-hash' },
      }),
    },
  ],
});

const parse = (file: string) => agentReportFormat.parse(loadFixture(dir, file));

describe('agent-report', () => {
  it('reads an agent report: host asset, config hashes, OS packages in Debian:12, PyPI kept as given', () => {
    const result = parse('web-01.agent-report.json');
    expect(result.asset).toMatchObject({
      name: 'web-01.example.internal',
      kind: 'host',
      osEcosystem: 'Debian:12',
    });
    expect(Object.keys(result.asset.configHashes ?? {})).toEqual([
      '/etc/nginx/nginx.conf',
      '/etc/ssh/sshd_config',
    ]);
    expect(result.packages.map((p) => [p.ecosystem, p.name, p.sourceName ?? null])).toEqual([
      ['Debian:12', 'libssl3', 'openssl'],
      ['Debian:12', 'openssl', null],
      ['Debian:12', 'libc6', 'glibc'],
      ['Debian:12', 'nginx', null],
      ['PyPI', 'requests', null],
    ]);
    expect(result.packages[0]?.purl).toBe(
      'pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=amd64&distro=debian-12',
    );
  });

  it('reads a fleet inventory as it is: image:tag as a container image, 101 Ubuntu 22.04 packages', () => {
    const result = parse('ubuntu_jammy-20220801_2022-08-01.json');
    expect(result.asset).toEqual({
      name: 'ubuntu:jammy-20220801',
      kind: 'container-image',
      osEcosystem: 'Ubuntu:22.04:LTS',
    });
    expect(result.packages).toHaveLength(101);
    expect(result.packages.find((p) => p.name === 'libssl3')).toMatchObject({
      ecosystem: 'Ubuntu:22.04:LTS',
      version: '3.0.2-0ubuntu1.6',
    });
  });

  it('keeps what the agent saw of package usage: in use, not in use, and unknown when absent', () => {
    const report = (packages: object[]) =>
      Buffer.from(
        JSON.stringify({
          schema: 'patchcast.agent-report/1',
          host: { hostname: 'h' },
          os: { id: 'debian', version_id: '12' },
          collectedAt: '2024-12-02T08:15:00Z',
          packages,
        }),
      );
    const result = agentReportFormat.parse({
      path: 'h.json',
      content: report([
        { name: 'openssh-server', version: '1:9.2p1-2+deb12u3', inUse: true },
        { name: 'libxslt1.1', version: '1.1.35-1', inUse: false },
        { name: 'tzdata', version: '2024a-0+deb12u1' },
      ]),
    });
    expect(result.packages.map((p) => [p.name, p.inUse])).toEqual([
      ['openssh-server', true],
      ['libxslt1.1', false],
      ['tzdata', undefined],
    ]);
    expect('inUse' in (result.packages[2] ?? {})).toBe(false);
    expect(() =>
      agentReportFormat.parse({
        path: 'h.json',
        content: report([{ name: 'a', version: '1', inUse: 'yes' }]),
      }),
    ).toThrow(/h.json:\/packages\/0\/inUse/);
  });

  it('names the JSON path of an invalid field', () => {
    const content = Buffer.from(
      JSON.stringify({ image: 'x', tag: '1', os: { id: 'debian' }, packages: [{ name: 'a' }] }),
    );
    expect(() => agentReportFormat.parse({ path: 'inv.json', content })).toThrow(
      /inv.json:\/packages\/0\/version/,
    );
  });

  itWithShared(
    hasSharedData('data/fleet'),
    'data/fleet',
    'reads all 81 fleet inventories (15,001 packages) with the ecosystems they state',
    () => {
      let total = 0;
      for (const name of readdirSync(fleetDir).filter((f) => f.endsWith('.json'))) {
        const content = readFileSync(`${fleetDir}${name}`);
        expect(agentReportFormat.detect(name, getDetectHead(content)), name).toBe(true);
        const result = agentReportFormat.parse({ path: name, content });
        const stated = (JSON.parse(content.toString()) as { packages: { ecosystem: string }[] }).packages;
        expect(
          result.packages.map((p) => p.ecosystem),
          name,
        ).toEqual(stated.map((p) => p.ecosystem));
        total += result.packages.length;
      }
      expect(total).toBe(15_001);
    },
  );
});
