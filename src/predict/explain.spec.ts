import { describe, expect, it } from 'vitest';
import { describeFactor } from './explain.js';

// The CWE features do not read the context; a CVE's words for them come from the value alone.
const ctx = {} as Parameters<typeof describeFactor>[2];

describe('describeFactor', () => {
  it('says a CVE has no known weakness type instead of printing NaN', () => {
    expect(describeFactor('cwe_kev_count', Number.NaN, ctx)).toBe('no weakness type (CWE) known');
    expect(describeFactor('cwe_kev_rate', Number.NaN, ctx)).toBe('no weakness type (CWE) known');
  });

  it("words a known weakness type's KEV count and rate", () => {
    expect(describeFactor('cwe_kev_count', 12, ctx)).toBe('its weakness type (CWE) has 12 CVEs in KEV');
    expect(describeFactor('cwe_kev_rate', 0.0125, ctx)).toBe("its CWE's KEV rate is 1.25%");
  });
});
