import { describe, expect, it } from 'vitest';
import type { FindingContext, VulnerabilityContext } from '../types.js';
import { EXIM_KEV, makeAsset, makeContext, makeException } from './__fixtures__/contexts.js';
import { computeSla } from './compute-sla.js';
import { DEFAULT_SLA_RULES } from './default-rules.js';
import { makeSlaJudge } from './make-sla-judge.js';
import { DEFAULT_EXCEPTION_POLICY } from './types.js';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('makeSlaJudge', () => {
  it('judges every finding as computeSla does, sharing a judgement between findings alike', () => {
    const kev: VulnerabilityContext = {
      cve: 'CVE-2018-6789',
      exploitMaturity: 'active',
      exploitSignals: [],
      kev: EXIM_KEV,
    };
    const high: VulnerabilityContext = {
      cve: 'CVE-2023-0464',
      exploitMaturity: 'none',
      exploitSignals: [],
      severity: 'HIGH',
    };
    const assets = [makeAsset(), makeAsset({ id: 'cache-01', internetExposed: true, tags: ['pci'] })];
    const exceptions = [
      makeException({
        scope: 'asset',
        assetId: 'cache-01',
        vulnerabilityId: undefined,
        createdAt: '2026-02-01T00:00:00.000Z',
        expiresAt: '2026-04-01T00:00:00.000Z',
      }),
    ];
    const contexts: FindingContext[] = [];
    for (const asset of assets)
      for (const vulnerability of [kev, high])
        for (const [n, firstSeen] of ['2026-01-10T08:00:00.000Z', '2026-02-20T08:00:00.000Z'].entries())
          for (const status of ['open', 'suppressed'] as const)
            contexts.push({
              ...makeContext({
                finding: {
                  id: `f-${asset.id}-${vulnerability.cve}-${n}-${status}`,
                  assetId: asset.id,
                  firstSeen,
                  status,
                  ...(status === 'suppressed'
                    ? { suppression: { kind: 'vex' as const, justification: 'x' } }
                    : {}),
                },
              }),
              asset,
              vulnerability,
            });
    const judge = makeSlaJudge(DEFAULT_SLA_RULES, exceptions, DEFAULT_EXCEPTION_POLICY, NOW);
    for (const ctx of contexts)
      expect(judge(ctx), ctx.finding.id).toEqual(
        computeSla(ctx, DEFAULT_SLA_RULES, exceptions, DEFAULT_EXCEPTION_POLICY, NOW),
      );
  });
});
