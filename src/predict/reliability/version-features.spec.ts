import { describe, expect, it } from 'vitest';
import { compareUpstream, getRevisionFacts, getUpstream, isRealVersion } from './version-features.js';

describe('Debian version patterns', () => {
  it('reads the upstream part without epoch, revision or repack markers', () => {
    expect(getUpstream('1:2.20.1-2+deb10u5')).toBe('2.20.1');
    expect(getUpstream('1.0.0~rc6+dfsg1-3+deb10u2')).toBe('1.0.0~rc6');
    expect(getUpstream('<not-affected>')).toBeUndefined();
    expect(isRealVersion('<end-of-life>')).toBe(false);
  });

  it('tells a backported patch from a new upstream packaged for the release', () => {
    expect(getRevisionFacts('2.2.6-2+deb10u3')).toMatchObject({
      plusDeb: 1,
      tildeDeb: 0,
      zeroRevision: 0,
      uploadNumber: 3,
    });
    expect(getRevisionFacts('111.0.5563.110-1~deb11u1')).toMatchObject({
      tildeDeb: 1,
      plusDeb: 0,
      uploadNumber: 1,
    });
    expect(getRevisionFacts('1:10.3.36-0+deb10u1')).toMatchObject({ zeroRevision: 1 });
    expect(getRevisionFacts('20190114+really20220913-0+deb10u1')).toMatchObject({ really: 1 });
    expect(getRevisionFacts('2.3.0')).toMatchObject({ native: 1 });
    expect(Number.isNaN(getRevisionFacts('<unfixed>').plusDeb)).toBe(true);
  });

  it('compares upstream versions by major and minor component', () => {
    expect(compareUpstream('2.2.6', '2.2.6')).toEqual({ changed: 0, major: 0, minor: 0 });
    expect(compareUpstream('91.5.0esr', '91.5.1esr')).toEqual({ changed: 1, major: 0, minor: 0 });
    expect(compareUpstream('10.3.36', '10.5.1')).toEqual({ changed: 1, major: 0, minor: 1 });
    expect(compareUpstream('4.19', '5.10')).toEqual({ changed: 1, major: 1, minor: 1 });
    expect(Number.isNaN(compareUpstream(undefined, '1.0').changed)).toBe(true);
  });
});
