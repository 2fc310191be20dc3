import type { Vulnerability } from '../../src/core/types.js';

/** A PyPI advisory affecting `name` from the first release up to `fixed`, for store-level tests. */
export function pypiAdvisory(
  id: string,
  name: string,
  fixed: string,
  extra: Partial<Vulnerability> = {},
): Vulnerability {
  return {
    id,
    source: 'test',
    aliases: [],
    ...extra,
    affected: [
      {
        ecosystem: 'PyPI',
        name,
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
        fixedVersions: [fixed],
      },
    ],
  };
}
