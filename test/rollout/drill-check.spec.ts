import { describe, expect, it } from 'vitest';
import { countInstalls, countStaleWrites, type HostFacts, judgeHost } from '../../bench/drill/check.js';

// Lines as dpkg writes them (trimmed from a drill host's /var/log/dpkg.log).
const LOG = [
  '2026-12-08 01:13:41 startup archives unpack',
  '2026-12-08 01:13:41 upgrade pcdemo:all 1.0-1 1.0-4',
  '2026-12-08 01:13:41 status half-configured pcdemo:all 1.0-4',
  '2026-12-08 01:13:41 status installed pcdemo:all 1.0-4',
  '2026-12-08 01:13:44 upgrade pcdemo:all 1.0-4 1.0-1',
];

function facts(overrides: Partial<HostFacts>): HostFacts {
  return {
    hostname: 'drill-1',
    pkg: 'pcdemo',
    base: '1.0-1',
    target: '1.0-4',
    expected: 'rolled-back',
    installed: '1.0-1',
    dpkgLog: LOG,
    job: {
      id: 'j',
      assetId: 'drill-1',
      status: 'rolled-back',
      step: 'rollback',
      attempts: 1,
      token: 1,
      lastError: null,
    },
    events: [],
    ...overrides,
  };
}

describe('drill host check', () => {
  it('counts each unpack of the target version, not its status lines or the rollback', () => {
    expect(countInstalls(LOG, 'pcdemo', '1.0-4')).toBe(1);
    expect(
      countInstalls([...LOG, '2026-12-08 01:13:50 upgrade pcdemo:all 1.0-1 1.0-4'], 'pcdemo', '1.0-4'),
    ).toBe(2);
  });

  it('accepts a rolled-back job on a host back at its previous version', () => {
    expect(judgeHost(facts({}))).toMatchObject({
      rolledBack: true,
      lostResult: false,
      neither: false,
      doubleApply: false,
    });
  });

  it('counts a lost result when the host disagrees with the job or changed under an unfinished one', () => {
    const failed = {
      id: 'j',
      assetId: 'drill-1',
      status: 'failed',
      step: 'apply',
      attempts: 2,
      token: 2,
      lastError: 'x',
    };
    expect(judgeHost(facts({ installed: '1.0-4', job: failed })).lostResult).toBe(true);
    const leased = { ...failed, status: 'leased' };
    expect(judgeHost(facts({ installed: '1.0-1', job: leased })).lostResult).toBe(true);
    expect(judgeHost(facts({ installed: '1.0-1', dpkgLog: [], job: leased })).lostResult).toBe(false);
  });

  it('counts events written under a token older than a lease already granted', () => {
    const events = [
      { kind: 'lease', data: { token: 1 } },
      { kind: 'step:preflight', data: { token: 1 } },
      { kind: 'lease', data: { token: 2 } },
      { kind: 'step:apply', data: { token: 1 } },
      { kind: 'end', data: { token: 2 } },
    ];
    expect(countStaleWrites(events)).toBe(1);
  });
});
