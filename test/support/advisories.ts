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

/**
 * The same kind of PyPI advisory as an OSV record (the JSON `patchcast sync osv --from DIR` reads),
 * dated `day`, for tests that go through the CLI.
 */
export function pypiOsvRecord(id: string, name: string, fixed: string, day: string) {
  return {
    id,
    modified: `${day}T00:00:00Z`,
    published: `${day}T00:00:00Z`,
    summary: `${name} before ${fixed}`,
    affected: [
      {
        package: { ecosystem: 'PyPI', name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
  };
}
