import { describe, expect, it } from 'vitest';
import { makeAsset, makeContext } from './__fixtures__/contexts.js';
import { isAutomatable, isTotalTechnicalImpact, parseCvssMetrics } from './cvss-vector.js';
import { getMissionWellbeing, getSsvc, getSsvcDecision } from './ssvc.js';

/**
 * CISA's published tree, row by row (CERTCC/SSVC data/csv/cisa/cisa_coordinator_2_0_3.csv, the
 * machine-readable form of the tree in CISA's SSVC Guide, November 2022).
 */
const CISA_ROWS = `
none,no,partial,low,track
none,no,partial,medium,track
none,no,partial,high,track
none,no,total,low,track
none,no,total,medium,track
none,no,total,high,track*
none,yes,partial,low,track
none,yes,partial,medium,track
none,yes,partial,high,attend
none,yes,total,low,track
none,yes,total,medium,track
none,yes,total,high,attend
poc,no,partial,low,track
poc,no,partial,medium,track
poc,no,partial,high,track*
poc,no,total,low,track
poc,no,total,medium,track*
poc,no,total,high,attend
poc,yes,partial,low,track
poc,yes,partial,medium,track
poc,yes,partial,high,attend
poc,yes,total,low,track
poc,yes,total,medium,track*
poc,yes,total,high,attend
active,no,partial,low,track
active,no,partial,medium,track
active,no,partial,high,attend
active,no,total,low,track
active,no,total,medium,attend
active,no,total,high,act
active,yes,partial,low,attend
active,yes,partial,medium,attend
active,yes,partial,high,act
active,yes,total,low,attend
active,yes,total,medium,act
active,yes,total,high,act`
  .trim()
  .split('\n')
  .map((line) => line.split(','));

const DECISIONS = { track: 'Track', 'track*': 'Track*', attend: 'Attend', act: 'Act' } as const;

describe("CISA's SSVC decision tree", () => {
  it.each(CISA_ROWS)('%s / %s / %s / %s → %s', (exploitation, automatable, technicalImpact, mw, decision) => {
    expect(
      getSsvcDecision({
        exploitation: exploitation as 'none',
        automatable: automatable as 'yes',
        technicalImpact: technicalImpact as 'total',
        missionWellbeing: mw as 'high',
      }),
    ).toBe(DECISIONS[decision as keyof typeof DECISIONS]);
  });

  it('decides Act for an automatable, KEV-listed RCE on an essential production asset (CVE-2019-10149)', () => {
    const ctx = makeContext(
      {
        kev: { dateAdded: '2022-01-10', ransomware: false },
        exploitMaturity: 'active',
        cvssVector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      },
      { criticality: 'critical' },
    );
    expect(getSsvc(ctx.vulnerability, ctx.asset)).toMatchObject({
      decision: 'Act',
      missionWellbeing: 'high',
    });
  });

  it('uses Vulnrichment values over the CVSS vector, and never lowers exploitation below KEV', () => {
    const ctx = makeContext({
      kev: { dateAdded: '2024-01-10', ransomware: false },
      exploitMaturity: 'active',
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      ssvc: { exploitation: 'none', automatable: 'no', technicalImpact: 'partial' },
    });
    expect(getSsvc(ctx.vulnerability, ctx.asset)).toEqual({
      decision: 'Track',
      exploitation: 'active',
      automatable: 'no',
      technicalImpact: 'partial',
      missionWellbeing: 'medium',
    });
  });

  it('derives PoC from public exploit code and none without evidence', () => {
    const poc = makeContext({ exploitMaturity: 'weaponized' });
    expect(getSsvc(poc.vulnerability, poc.asset).exploitation).toBe('poc');
    const none = makeContext({});
    expect(getSsvc(none.vulnerability, none.asset)).toMatchObject({
      exploitation: 'none',
      automatable: 'no',
      technicalImpact: 'partial',
    });
  });
});

describe('Mission & Well-being from the asset registry', () => {
  it.each([
    [{ criticality: 'critical', environment: 'production' }, 'high'],
    [{ criticality: 'high', environment: 'staging' }, 'medium'],
    [{ criticality: 'medium', environment: 'production' }, 'medium'],
    [{ criticality: 'medium', environment: 'staging', dataClassification: 'internal' }, 'low'],
    [{ criticality: 'low', environment: 'production', dataClassification: 'public' }, 'low'],
    [{ criticality: 'low', environment: 'production', dataClassification: 'restricted' }, 'medium'],
  ] as const)('%j → %s', (asset, expected) => {
    expect(getMissionWellbeing(makeAsset(asset))).toBe(expected);
  });
});

describe('CVSS vector → SSVC points', () => {
  it('reads v2, v3 and v4 vectors', () => {
    expect(parseCvssMetrics('AV:N/AC:L/Au:N/C:C/I:C/A:C')).toMatchObject({
      av: 'N',
      pr: 'N',
      c: 'H',
      i: 'H',
    });
    expect(parseCvssMetrics('CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N')).toMatchObject(
      {
        at: 'P',
        c: 'H',
        i: 'L',
      },
    );
  });

  it('calls AV:N/AC:L/PR:N/UI:N automatable, and nothing less', () => {
    expect(isAutomatable(parseCvssMetrics('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'))).toBe(true);
    expect(isAutomatable(parseCvssMetrics('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H'))).toBe(false);
    expect(isAutomatable(parseCvssMetrics('CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H'))).toBe(false);
  });

  it("follows CERT/CC's CVSS → technical impact table", () => {
    const ti = (v: string) => isTotalTechnicalImpact(parseCvssMetrics(v));
    expect(ti('CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:N')).toBe(true);
    expect(ti('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N')).toBe(true);
    expect(ti('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:L/A:N')).toBe(false);
    expect(ti('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H')).toBe(false);
  });
});
